#include "services/genre_counts.hpp"

#include "db/pool.hpp"

namespace sonique::services {

std::vector<GenreCount> genre_counts(ServiceContext& ctx) {
    static const char* const sql =
        "SELECT g.name, count(t.id), count(DISTINCT t.album_id) FROM genres g "
        "LEFT JOIN track_genres tg ON tg.genre_id = g.id LEFT JOIN tracks t ON t.id = tg.track_id "
        "GROUP BY g.id ORDER BY lower(g.name), g.id";
    auto conn = ctx.pool.acquire();
    auto res = conn->exec(sql);
    std::vector<GenreCount> out;
    out.reserve(static_cast<size_t>(res.rows()));
    for (int i = 0; i < res.rows(); ++i)
        out.push_back({res.str(i, 0), res.int64(i, 1), res.int64(i, 2)});
    return out;
}

}  // namespace sonique::services
