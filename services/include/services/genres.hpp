#pragma once
// Genres (api-contract.md §7). Any thread. Methods throw ValidationError (422), the contract's
// errors and db::DbError.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

class GenreService {
  public:
    explicit GenreService(ServiceContext& ctx) : ctx_(ctx) {}

    JsonText list(int64_t skip, int64_t limit);  // [Genre] by name. Cached.
    // exact: case-insensitive equality, else case-insensitive substring.
    JsonText search(const std::optional<std::string>& name, bool exact, int64_t skip,
                    int64_t limit);
    // name: trimmed, non-empty (validated by the HTTP layer). bad_request("Erreur lors de la
    // création ...") for a duplicate name.
    JsonText create(const std::string& name);
    JsonText get(int64_t id);  // not_found("Genre non trouvé")
    // not_found as get, bad_request("Erreur lors de la mise à jour ...") for a duplicate name.
    JsonText update(int64_t id, const std::string& name);
    void remove(int64_t id);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kGenreNotFound = "Genre non trouvé";

}  // namespace sonique::services
