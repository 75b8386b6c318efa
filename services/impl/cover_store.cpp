// SQL for cover images: dedup by hash, one cover per entity, entity existence.
#include "cover_store.hpp"
#include "db/copy.hpp"
#include "services/covers.hpp"

namespace sonique::services {

bool is_cover_entity_type(std::string_view type) {
    return type == "artist" || type == "album" || type == "track";
}

int64_t store_cover(db::Connection& conn, std::string_view entity_type, int64_t entity_id,
                    const imaging::NormalisedImage& image,
                    const std::optional<std::string>& source_path,
                    const std::optional<std::string>& url) {
    // One statement: the image upsert (DO UPDATE so RETURNING always yields the id) feeds the
    // cover upsert, so two writers racing on the same entity or hash cannot conflict.
    static const char* sql =
        "WITH img AS (INSERT INTO cover_images (sha256, mime_type, width, height, data)"
        " VALUES ($3, $4, $5, $6, $7::bytea)"
        " ON CONFLICT (sha256) DO UPDATE SET mime_type = EXCLUDED.mime_type RETURNING id)"
        " INSERT INTO covers (entity_type, entity_id, image_id, mime_type, url, source_path)"
        " SELECT $1, $2, img.id, $4, $8, $9 FROM img"
        " ON CONFLICT (entity_type, entity_id) DO UPDATE SET image_id = EXCLUDED.image_id,"
        " mime_type = EXCLUDED.mime_type, url = COALESCE(EXCLUDED.url, covers.url),"
        " source_path = COALESCE(EXCLUDED.source_path, covers.source_path),"
        " date_modified = now() RETURNING id";
    // Keeps the cleanup of unused images away until the caller's transaction commits.
    conn.exec("SELECT sonique_lock_cover_images()");
    auto r = conn.exec(sql, db::Params(std::string(entity_type), entity_id, image.sha256,
                                       image.mime_type, image.width, image.height,
                                       db::bytea_literal(image.data), url, source_path));
    return r.int64(0, 0);
}

}  // namespace sonique::services
