// CoverService: the covers API over cover_store.cpp, with cache-aside image bytes.
#include "services/covers.hpp"

#include <stdexcept>

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "cover_shape.hpp"
#include "cover_store.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "imaging/cover_image.hpp"
#include "media_rules.hpp"

namespace sonique::services {
namespace {

// The HTTP layer answers 422 for any other type before it calls; a caller that did not is a bug.
void require_type(const std::string& type) {
    if (!is_cover_entity_type(type)) throw std::invalid_argument("cover entity type: " + type);
}

// Locks the entity row (FOR KEY SHARE) so that it cannot be deleted before the cover lands;
// a later delete then removes the cover through the trigger. Throws not_found.
void lock_entity(db::Connection& conn, const std::string& type, int64_t id) {
    static const char* artist = "SELECT 1 FROM artists WHERE id = $1 FOR KEY SHARE";
    static const char* album = "SELECT 1 FROM albums WHERE id = $1 FOR KEY SHARE";
    static const char* track = "SELECT 1 FROM tracks WHERE id = $1 FOR KEY SHARE";
    const char* sql = type == "artist" ? artist : type == "album" ? album : track;
    if (conn.exec(sql, db::Params(id)).empty()) throw not_found("Entité non trouvée");
}

// Cached form of CoverBytes: "" (no image) or "<sha256>\n<mime>\n<bytes>".
std::string pack(const db::Result& r) {
    if (r.empty()) return {};
    return r.str(0, 0) + '\n' + r.str(0, 1) + '\n' + r.bytes(0, 2);
}

// The image the entity's cover shows now, if any.
std::optional<int64_t> current_image(db::Connection& conn, const std::string& type, int64_t id) {
    static const char* sql =
        "SELECT image_id FROM covers WHERE entity_type = $1 AND entity_id = $2";
    auto r = conn.exec(sql, db::Params(type, id));
    return r.empty() ? std::nullopt : r.opt_int64(0, 0);
}

// Deletes the image a cover no longer shows when no other cover shows it. Best effort: the
// cover change is committed already, and the end of the next scan collects what is left.
void remove_if_unused(db::Connection& conn, std::optional<int64_t> image_id) {
    if (!image_id) return;
    try {
        conn.exec("SELECT sonique_remove_unused_cover_images(ARRAY[$1::bigint])",
                  db::Params(*image_id));
    } catch (const std::exception& e) {
        log::warn("covers: unused image ", *image_id, " not removed: ", e.what());
    }
}

std::optional<CoverBytes> unpack(const std::string& packed) {
    const auto first = packed.find('\n');
    const auto second = first == std::string::npos ? first : packed.find('\n', first + 1);
    if (second == std::string::npos) return std::nullopt;
    return CoverBytes{packed.substr(0, first), packed.substr(first + 1, second - first - 1),
                      packed.substr(second + 1), false};
}

}  // namespace

CoverBytes CoverService::image(const std::string& entity_type, int64_t entity_id) {
    require_type(entity_type);
    const std::string key = "img:" + entity_type + ":" + std::to_string(entity_id);
    auto packed = ctx_.cache.get_or_load(cache::ns::kCovers, key, [&] {
        static const char* sql =
            "SELECT ci.sha256, ci.mime_type, ci.data FROM covers c"
            " JOIN cover_images ci ON ci.id = c.image_id"
            " WHERE c.entity_type = $1 AND c.entity_id = $2";
        auto conn = ctx_.pool.acquire();
        return pack(conn->exec(sql, db::Params(entity_type, entity_id)));
    });
    if (auto bytes = unpack(packed)) return *bytes;
    const auto& p = imaging::placeholder_cover();
    return CoverBytes{p.sha256, p.mime_type, p.data, true};
}

JsonText CoverService::upsert(const std::string& entity_type, int64_t entity_id,
                              const CoverInput& input) {
    auto raw = decode_cover_data(input.cover_data);
    if (!raw) throw bad_request("Données d'image invalides (base64 attendu)");
    auto image = imaging::normalise_cover(*raw);
    if (!image) throw bad_request("Image illisible ou trop grande");
    static const std::string sql =
        "SELECT " + cover_json_sql("cv") + " FROM covers cv WHERE id = $1";
    JsonText cover;
    {
        auto conn = ctx_.pool.acquire();
        db::Transaction tx(*conn);
        lock_entity(*conn, entity_type, entity_id);
        auto previous = current_image(*conn, entity_type, entity_id);
        int64_t id = store_cover(*conn, entity_type, entity_id, *image, std::nullopt, input.url);
        cover = JsonText(conn->exec(sql, db::Params(id)).str(0, 0));
        tx.commit();
        remove_if_unused(*conn, previous);
    }
    invalidate();
    return cover;
}

JsonText CoverService::list(std::optional<std::string> entity_type) {
    if (entity_type) require_type(*entity_type);
    static const std::string sql = "SELECT COALESCE(json_agg(" + cover_json_sql("cv") +
                                   " ORDER BY cv.id), '[]'::json) FROM covers cv"
                                   " WHERE $1::text IS NULL OR cv.entity_type = $1";
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(sql, db::Params(entity_type)).str(0, 0));
}

void CoverService::remove(const std::string& entity_type, int64_t entity_id) {
    require_type(entity_type);
    static const char* sql =
        "DELETE FROM covers WHERE entity_type = $1 AND entity_id = $2 RETURNING image_id";
    {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(sql, db::Params(entity_type, entity_id));
        if (r.empty()) throw not_found("Cover non trouvée");
        remove_if_unused(*conn, r.opt_int64(0, 0));
    }
    invalidate();
}

void CoverService::invalidate() {
    // Entity JSON embeds its covers, so every view that shows an entity is stale too.
    ctx_.cache.invalidate({cache::ns::kCovers, cache::ns::kArtists, cache::ns::kAlbums,
                           cache::ns::kTracks, cache::ns::kLibrary});
}

}  // namespace sonique::services
