// SubsonicCatalog's album lists (getAlbumList, getAlbumList2): one statement per page. The page
// of ids is chosen first (ORDER BY ... LIMIT over albums and their artist only, which the
// albums_title index serves for alphabeticalByName; joined with the user's album rows for the
// per-user types), then only those albums are built as JSON.
#include "db/pool.hpp"
#include "services/subsonic_catalog.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// What a list type selects and how it orders: `keys` are the page's sort columns (k1, k2),
// `order` uses them by name so that the page and the aggregate order alike. `join`: the user's
// rows (u) for the per-user types.
struct ListSql {
    const char* keys;
    const char* where;
    const char* order;
    const char* join = "";
};

// The user's album rows; the inner join keeps only albums the user starred, rated or played.
constexpr const char* kUserAlbums =
    " JOIN user_album_data u ON u.album_id = al.id AND u.user_id = $U";

ListSql list_sql(const AlbumListQuery& q) {
    switch (q.type) {
        case AlbumListType::kRandom:
            return {"random() AS k1, 0 AS k2", "true", "k1, pid"};
        case AlbumListType::kNewest:
            return {"al.date_added AS k1, 0 AS k2", "true", "k1 DESC, pid DESC"};
        case AlbumListType::kByName:
            return {"lower(al.title) AS k1, 0 AS k2", "true", "k1, pid"};
        case AlbumListType::kByArtist:
            return {"lower(COALESCE(aa.sort_name, aa.name)) AS k1, lower(al.title) AS k2", "true",
                    "k1, k2, pid"};
        case AlbumListType::kByYear:
            return {"al.release_year::int AS k1, lower(al.title) AS k2",
                    "al.release_year::int BETWEEN least($3::int, $4::int) AND "
                    "greatest($3::int, $4::int)",
                    q.from_year > q.to_year ? "k1 DESC, k2, pid" : "k1, k2, pid"};
        case AlbumListType::kByGenre:
            return {"lower(al.title) AS k1, 0 AS k2",
                    "EXISTS (SELECT 1 FROM tracks x JOIN track_genres tg ON tg.track_id = x.id "
                    "JOIN genres g ON g.id = tg.genre_id WHERE x.album_id = al.id AND "
                    "lower(g.name) = lower($3::text))",
                    "k1, pid"};
        case AlbumListType::kStarred:
            return {"u.starred_at AS k1, 0 AS k2", "u.starred_at IS NOT NULL", "k1 DESC, pid",
                    kUserAlbums};
        case AlbumListType::kHighest:
            return {"u.rating AS k1, lower(al.title) AS k2", "u.rating IS NOT NULL",
                    "k1 DESC, k2, pid", kUserAlbums};
        case AlbumListType::kFrequent:
            return {"u.play_count AS k1, u.played_at AS k2", "u.play_count > 0",
                    "k1 DESC, k2 DESC NULLS LAST, pid", kUserAlbums};
        case AlbumListType::kRecent:
            return {"u.played_at AS k1, 0 AS k2", "u.played_at IS NOT NULL", "k1 DESC, pid",
                    kUserAlbums};
    }
    return {"0 AS k1, 0 AS k2", "false", "pid"};
}

}  // namespace

JsonText SubsonicCatalog::album_list(const AlbumListQuery& q) {
    ListSql l = list_sql(q);
    std::string order = l.order;
    std::string sql =
        std::string("WITH p AS (SELECT al.id AS pid, ") + l.keys +
        " FROM albums al JOIN artists aa ON aa.id = al.album_artist_id" + l.join + " WHERE " +
        l.where + " AND " + scope_album_sql(scope_, "al.id") + " ORDER BY " + order +
        " LIMIT $1 OFFSET $2) SELECT json_build_object('album', COALESCE(json_agg(" +
        (q.id3 ? subsonic_album_json("") : kSubsonicAlbumChildJson) + " ORDER BY " + order +
        "), '[]'::json)) FROM p JOIN albums al ON al.id = p.pid JOIN artists aa ON "
        "aa.id = al.album_artist_id" +
        subsonic_album_stats(scope_);
    db::Params params(q.size, q.offset);
    if (q.type == AlbumListType::kByYear) params.add(q.from_year).add(q.to_year);
    if (q.type == AlbumListType::kByGenre) params.add(q.genre);
    params.add(user_);  // the last parameter: "$U" of the fragments and the user's rows
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(with_user(sql, params.size()), params).str(0, 0));
}

}  // namespace sonique::services
