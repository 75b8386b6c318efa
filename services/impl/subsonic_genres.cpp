// SubsonicCatalog's genres (getGenres) as JSON, counted in the folder scope, in one statement.
#include "db/pool.hpp"
#include "services/subsonic_catalog.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

JsonText SubsonicCatalog::genres() {
    std::string sql =
        "SELECT json_build_object('genre', COALESCE(json_agg(json_build_object('songCount', n, "
        "'albumCount', albums, 'value', name) ORDER BY lower(name), id), '[]'::json)) FROM "
        "(SELECT g.id, g.name, count(t.id) AS n, count(DISTINCT t.album_id) AS albums FROM "
        "genres g LEFT JOIN track_genres tg ON tg.genre_id = g.id LEFT JOIN tracks t ON t.id = "
        "tg.track_id AND " +
        scope_track_sql(scope_, "t.path") + " GROUP BY g.id) c";
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(sql).str(0, 0));
}

}  // namespace sonique::services
