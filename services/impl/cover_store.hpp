#pragma once
// Writing a normalised image as an entity's cover. Private to services: it takes a database
// connection and an imaging type, which services' public headers do not expose.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.hpp"
#include "imaging/cover_image.hpp"

namespace sonique::services {

// Stores an already normalised image (deduplicated by hash) and makes it the entity's cover
// (upsert). Returns the covers row id. For the scanner and the API. Throws db::DbError.
// Same thread as the connection; the caller invalidates the caches.
int64_t store_cover(db::Connection& conn, std::string_view entity_type, int64_t entity_id,
                    const imaging::NormalisedImage& image,
                    const std::optional<std::string>& source_path = std::nullopt,
                    const std::optional<std::string>& url = std::nullopt);

}  // namespace sonique::services
