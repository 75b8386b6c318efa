#pragma once
// Genre and mood tags (api-contract.md §7): {id, name}. Any thread. Methods throw ValidationError
// (422), bad_request with the contract's detail strings and db::DbError.
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

class TagService {
  public:
    explicit TagService(ServiceContext& ctx) : ctx_(ctx) {}

    // kind: "genre" or "mood" (anything else: bad_request("Type de tag invalide")).
    JsonText list(const std::string& kind);  // [Tag] by name. Cached.
    // name: trimmed, non-empty (validated by the HTTP layer). bad_request("Un tag de genre avec
    // ce nom existe déjà" / "... d'humeur ...").
    JsonText create(const std::string& kind, const std::string& name);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kInvalidTagType = "Type de tag invalide";

}  // namespace sonique::services
