#pragma once
// Covers (api-contract.md §8): normalised images stored once per content hash, one cover per
// entity.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// The bytes served for GET /api/covers/{type}/{id}.
struct CoverBytes {
    std::string sha256;     // ETag material
    std::string mime_type;  // "image/webp"
    std::string data;
    bool placeholder = false;
};

// The body of POST /api/covers/ and PUT /api/covers/{type}/{id}, already validated.
struct CoverInput {
    std::string cover_data;  // base64, optionally with a "data:<mime>;base64," prefix
    std::optional<std::string> url;
};

// True for "artist", "album" and "track".
bool is_cover_entity_type(std::string_view type);

class CoverService {
  public:
    explicit CoverService(ServiceContext& ctx) : ctx_(ctx) {}

    // The entity's normalised image, or the placeholder. The entity type is one of
    // is_cover_entity_type's (std::invalid_argument otherwise); throws db::DbError. Any thread.
    CoverBytes image(const std::string& entity_type, int64_t entity_id);
    // Decodes, normalises and stores; returns the Cover shape. Throws bad_request (400) for
    // undecodable data, not_found (404) when the entity does not exist.
    JsonText upsert(const std::string& entity_type, int64_t entity_id, const CoverInput& input);
    // [Cover], optionally of one entity type (422 for an unknown one; an empty one is no
    // filter, as an absent one).
    JsonText list(std::optional<std::string> entity_type);
    // Throws not_found("Cover non trouvée").
    void remove(const std::string& entity_type, int64_t entity_id);

    // The JSON Schema of CoverCreate, and ["track", "album", "artist"].
    static JsonText schema();
    static JsonText types();

  private:
    void invalidate();
    ServiceContext& ctx_;
};

}  // namespace sonique::services
