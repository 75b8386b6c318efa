// Track reads.
#include "services/tracks.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

namespace ns = cache::ns;

std::optional<std::string> like(const std::optional<std::string>& v) {
    if (!v) return std::nullopt;
    return like_pattern(*v);
}

std::optional<std::string> array_or_null(const std::vector<std::string>& v) {
    if (v.empty()) return std::nullopt;
    return pg_text_array(v);
}

// [Track] of the tracks matching `where` ($n parameters), in track order within albums.
std::string ordered_tracks(const std::string& where) {
    return "SELECT COALESCE(json_agg(" + track_json_sql() + " ORDER BY " + track_order_sql() +
           "), '[]'::json) FROM " + track_from_sql() + " WHERE " + where;
}

}  // namespace

JsonText TrackService::list(int64_t skip, int64_t limit) {
    // The page's ids come first (an index-only walk of tracks_pkey), then the Track shape of
    // those rows only: built over the skipped rows too, a deep page cost a second and more at
    // 100,000 tracks (its subqueries ran for every row before OFFSET).
    std::string key = "list:" + std::to_string(skip) + ":" + std::to_string(limit);
    std::string sql = "SELECT COALESCE(json_agg(" + track_json_sql() +
                      " ORDER BY t.id), '[]'::json) FROM (SELECT id FROM tracks ORDER BY id" +
                      page_sql(skip, limit) + ") p JOIN " + track_from_sql() + " ON t.id = p.id";
    return cached_json(ctx_, ns::kTracks, key, sql);
}

JsonText TrackService::count() {
    return cached_json(ctx_, ns::kTracks, "count",
                       "SELECT json_build_object('count', sonique_row_count('tracks'))");
}

JsonText TrackService::search(const TrackSearch& q) {
    // As list(): the matching page's ids first, then the Track shape of those rows only.
    static const std::string sql =
        "SELECT COALESCE(json_agg(" + track_json_sql() +
        " ORDER BY t.id), '[]'::json) FROM (SELECT t.id FROM tracks t"
        " WHERE ($1::text IS NULL OR lower(t.title) LIKE lower($1)) "
        "AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM track_artists ta JOIN artists a ON a.id = "
        "ta.artist_id WHERE ta.track_id = t.id AND lower(a.name) LIKE lower($2)) OR EXISTS "
        "(SELECT 1 FROM artists a WHERE a.id = t.track_artist_id AND lower(a.name) LIKE "
        "lower($2))) "
        "AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM albums al WHERE al.id = t.album_id AND "
        "lower(al.title) LIKE lower($3))) "
        "AND ($4::text IS NULL OR lower(t.genre) LIKE lower($4)) "
        "AND ($5::text IS NULL OR t.year = $5 OR left(t.year, 4) = $5) "
        "AND ($6::text IS NULL OR lower(t.path) LIKE lower($6)) "
        "AND ($7::text IS NULL OR t.musicbrainz_id = $7) "
        "AND ($8::text[] IS NULL OR EXISTS (SELECT 1 FROM track_genre_tags l JOIN genre_tags g "
        "ON g.id = l.tag_id WHERE l.track_id = t.id AND lower(g.name) IN (SELECT lower(x) FROM "
        "unnest($8::text[]) x))) "
        "AND ($9::text[] IS NULL OR EXISTS (SELECT 1 FROM track_mood_tags l JOIN mood_tags g "
        "ON g.id = l.tag_id WHERE l.track_id = t.id AND lower(g.name) IN (SELECT lower(x) FROM "
        "unnest($9::text[]) x))) "
        "ORDER BY t.id OFFSET $10 LIMIT $11) p JOIN " +
        track_from_sql() + " ON t.id = p.id";
    db::Params params(like(q.title), like(q.artist), like(q.album), like(q.genre), q.year,
                      like(q.path), q.musicbrainz_id, array_or_null(q.genre_tags),
                      array_or_null(q.mood_tags), q.skip, q.limit);
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(conn->exec(sql, params)));
}

JsonText TrackService::get(int64_t id) {
    static const std::string sql =
        "SELECT " + track_json_sql() + " FROM " + track_from_sql() + " WHERE t.id = $1";
    return cached_by_id(ctx_, ns::kTracks, sql, id, kTrackNotFound);
}

JsonText TrackService::by_artist(int64_t artist_id) {
    static const std::string sql = ordered_tracks("t.track_artist_id = $1");
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(conn->exec(sql, db::Params(artist_id))));
}

JsonText TrackService::by_artist_album(int64_t artist_id, int64_t album_id) {
    static const std::string sql = ordered_tracks(
        "t.album_id = $2 AND (t.track_artist_id = $1 OR EXISTS (SELECT 1 FROM albums al "
        "WHERE al.id = t.album_id AND al.album_artist_id = $1))");
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(conn->exec(sql, db::Params(artist_id, album_id))));
}

}  // namespace sonique::services
