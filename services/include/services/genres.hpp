#pragma once
// Genres (api.md §7). Any thread. Methods throw ValidationError (422), the contract's errors
// and db::DbError.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

class GenreService {
  public:
    explicit GenreService(ServiceContext& ctx) : ctx_(ctx) {}

    std::string list(int64_t skip, int64_t limit);  // [Genre] by name. Cached.
    // exact: case-insensitive equality, else case-insensitive substring.
    std::string search(const std::optional<std::string>& name, bool exact, int64_t skip,
                       int64_t limit);
    // bad_request("Erreur lors de la création ...") for a duplicate name.
    std::string create(const Json& body);
    std::string get(int64_t id);  // not_found("Genre non trouvé")
    std::string update(int64_t id, const Json& body);
    void remove(int64_t id);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kGenreNotFound = "Genre non trouvé";

}  // namespace sonique::services
