#include "services/library.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {

JsonText LibraryService::tree() {
    // One query: albums grouped per artist, then artists aggregated; both sorted by label.
    static const std::string sql =
        "SELECT COALESCE(json_agg(json_build_object('id', 'artist_' || a.id, 'label', a.name, "
        "'children', COALESCE(c.children, '[]'::json)) ORDER BY lower(a.name), a.id), "
        "'[]'::json) FROM artists a LEFT JOIN (SELECT al.album_artist_id, "
        "json_agg(json_build_object('id', 'album_' || al.id, 'label', al.title) ORDER BY "
        "lower(al.title), al.id) AS children FROM albums al GROUP BY al.album_artist_id) c "
        "ON c.album_artist_id = a.id";
    return cached_json(ctx_, cache::ns::kLibrary, "tree", sql);
}

JsonText LibraryService::artist_albums(int64_t artist_id) {
    static const std::string sql =
        "SELECT COALESCE(json_agg(json_build_object('id', 'album_' || al.id, 'label', al.title) "
        "ORDER BY lower(al.title), al.id), '[]'::json) FROM albums al WHERE al.album_artist_id = "
        "$1";
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(conn->exec(sql, db::Params(artist_id))));
}

}  // namespace sonique::services
