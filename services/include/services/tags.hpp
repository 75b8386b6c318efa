#pragma once
// Genre and mood tags (api.md §7): {id, name}. Any thread. Methods throw ValidationError (422),
// bad_request with the contract's detail strings and db::DbError.
#include <string>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

class TagService {
  public:
    explicit TagService(ServiceContext& ctx) : ctx_(ctx) {}

    // kind: "genre" or "mood" (anything else: bad_request("Type de tag invalide")).
    std::string list(const std::string& kind);  // [Tag] by name. Cached.
    // bad_request("Un tag de genre avec ce nom existe déjà" / "... d'humeur ...").
    std::string create(const std::string& kind, const Json& body);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kInvalidTagType = "Type de tag invalide";

}  // namespace sonique::services
