#include "services/albums.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/lock_keys.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/artists.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

namespace ns = cache::ns;

const std::string kAgg = "COALESCE(json_agg(s.j ORDER BY s.k, s.id), '[]'::json)";
const std::string kRow = "SELECT " + album_json_sql() + " AS j, lower(al.title) AS k, al.id ";
// An existing album matching the batch item o.e.
const std::string kMatch =
    "(((o.e->>'mbid') IS NOT NULL AND al.musicbrainz_albumid = o.e->>'mbid') OR "
    "(al.album_artist_id = (o.e->>'artist_id')::bigint AND lower(al.title) = "
    "lower(o.e->>'title') AND ((o.e->>'mbid') IS NULL OR al.musicbrainz_albumid IS NULL)))";

void require_artists(db::Connection& conn, const std::vector<int64_t>& ids) {
    static const std::string sql =
        "SELECT (SELECT count(*) FROM artists WHERE id = ANY($1::bigint[])) = "
        "(SELECT count(DISTINCT x) FROM unnest($1::bigint[]) x)";
    if (!conn.exec(sql, db::Params(pg_int_array(ids))).boolean(0, 0))
        throw not_found(kArtistNotFound);
}

// {title, artist_id, year, mbid} for the batch SQL.
Json batch_item(const AlbumInput& in) {
    auto opt = [](const auto& v) { return v ? Json(*v) : Json(); };
    return {{"title", opt(in.title)},
            {"artist_id", opt(in.album_artist_id)},
            {"year", opt(in.release_year)},
            {"mbid", opt(in.musicbrainz_albumid)}};
}

}  // namespace

JsonText AlbumService::list(int64_t skip, int64_t limit) {
    // The page's ids first (albums_title holds the order), then the shapes (their cover
    // subqueries) of those rows only.
    std::string key = "list:" + std::to_string(skip) + ":" + std::to_string(limit);
    std::string sql =
        "SELECT json_build_object('count', sonique_row_count('albums'), 'results', (SELECT " +
        kAgg + " FROM (" + kRow + "FROM (SELECT id FROM albums ORDER BY lower(title), id" +
        page_sql(skip, limit) + ") p JOIN albums al ON al.id = p.id) s))";
    return cached_json(ctx_, ns::kAlbums, key, sql, "{}");
}

JsonText AlbumService::search(const AlbumSearch& q) {
    // As list(): the matching page's ids first, then the shapes of those rows only.
    static const std::string sql =
        "SELECT " + kAgg + " FROM (" + kRow +
        "FROM (SELECT al.id FROM albums al WHERE ($1::text IS NULL OR lower(al.title) LIKE "
        "lower($1)) "
        "AND ($2::bigint IS NULL OR al.album_artist_id = $2) "
        "AND ($3::text IS NULL OR al.musicbrainz_albumid = $3) "
        "ORDER BY lower(al.title), al.id OFFSET $4 LIMIT $5) p JOIN albums al ON al.id = p.id) s";
    std::optional<std::string> title;
    if (q.title) title = like_pattern(*q.title);
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(
        conn->exec(sql, db::Params(title, q.artist_id, q.musicbrainz_albumid, q.skip, q.limit))));
}

JsonText AlbumService::create(const AlbumInput& in) {
    static const std::string sql =
        "INSERT INTO albums AS al (title, album_artist_id, release_year, musicbrainz_albumid) "
        "VALUES ($1, $2, $3, $4) RETURNING " +
        album_json_sql();
    std::string out = with_conflict_detail(kAlbumExists, [&] {
        auto conn = ctx_.pool.acquire();
        require_artists(*conn, {*in.album_artist_id});
        return first_json(conn->exec(sql, db::Params(*in.title, *in.album_artist_id,
                                                     in.release_year, in.musicbrainz_albumid)));
    });
    invalidate_catalog(ctx_.cache);
    return JsonText(out);
}

JsonText AlbumService::batch(const std::vector<AlbumInput>& inputs) {
    static const std::string insert =
        "INSERT INTO albums (title, album_artist_id, release_year, musicbrainz_albumid) "
        "SELECT DISTINCT ON (COALESCE(o.e->>'mbid', (o.e->>'artist_id') || ':' || "
        "lower(o.e->>'title'))) o.e->>'title', (o.e->>'artist_id')::bigint, o.e->>'year', "
        "o.e->>'mbid' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord) "
        "WHERE NOT EXISTS (SELECT 1 FROM albums al WHERE " +
        kMatch +
        ") ORDER BY COALESCE(o.e->>'mbid', (o.e->>'artist_id') || ':' || lower(o.e->>'title')), "
        "o.ord ON CONFLICT DO NOTHING";
    static const std::string select =
        "SELECT COALESCE(json_agg(x.j ORDER BY x.ord), '[]'::json) FROM "
        "jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord) CROSS JOIN LATERAL "
        "(SELECT " +
        album_json_sql() + " AS j, o.ord FROM albums al WHERE " + kMatch +
        " ORDER BY (al.musicbrainz_albumid IS NOT DISTINCT FROM o.e->>'mbid') DESC, al.id "
        "LIMIT 1) x";
    Json items = Json::array();
    std::vector<int64_t> artists;
    for (const auto& in : inputs) {
        artists.push_back(*in.album_artist_id);
        items.push_back(batch_item(in));
    }
    std::string input = dump_json(items);
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    require_artists(*conn, artists);
    conn->exec("SELECT pg_advisory_xact_lock($1::bigint)",
               db::Params(db::lock_keys::kAlbumBatch));  // one get-or-create at a time
    conn->exec(insert, db::Params(input));
    std::string out = first_json(conn->exec(select, db::Params(input)));
    tx.commit();
    invalidate_catalog(ctx_.cache);
    return JsonText(out);
}

JsonText AlbumService::get(int64_t id) {
    static const std::string sql =
        "SELECT " + album_json_sql() + " FROM albums al WHERE al.id = $1";
    return cached_by_id(ctx_, ns::kAlbums, sql, id, kAlbumNotFound);
}

JsonText AlbumService::by_artist(int64_t artist_id) {
    static const std::string sql =
        "SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1), (SELECT COALESCE(json_agg(" +
        album_json_sql() +
        " ORDER BY al.release_year, lower(al.title), al.id), '[]'::json) FROM albums al "
        "WHERE al.album_artist_id = $1)";
    auto conn = ctx_.pool.acquire();
    return owned_list(conn->exec(sql, db::Params(artist_id)), kArtistNotFound);
}

JsonText AlbumService::tracks(int64_t id) {
    static const std::string sql =
        "SELECT EXISTS (SELECT 1 FROM albums WHERE id = $1), (SELECT COALESCE(json_agg(" +
        track_json_sql() + " ORDER BY " + track_order_sql() + "), '[]'::json) FROM " +
        track_from_sql() + " WHERE t.album_id = $1)";
    return JsonText(ctx_.cache.get_or_load(ns::kAlbums, "tracks:" + std::to_string(id), [&] {
        auto conn = ctx_.pool.acquire();
        return owned_list(conn->exec(sql, db::Params(id)), kAlbumNotFound).text;
    }));
}

JsonText AlbumService::update(int64_t id, const AlbumInput& in) {
    static const std::string sql =
        "UPDATE albums al SET title = COALESCE($2, al.title), album_artist_id = COALESCE($3, "
        "al.album_artist_id), release_year = CASE WHEN $4 THEN $5 ELSE al.release_year END, "
        "musicbrainz_albumid = CASE WHEN $6 THEN $7 ELSE al.musicbrainz_albumid END, "
        "date_modified = now() WHERE al.id = $1 RETURNING " +
        album_json_sql();
    auto r = with_conflict_detail(kAlbumExists, [&] {
        auto conn = ctx_.pool.acquire();
        if (conn->exec("SELECT 1 FROM albums WHERE id = $1", db::Params(id)).empty())
            throw not_found(kAlbumNotFound);
        if (in.album_artist_id) require_artists(*conn, {*in.album_artist_id});
        return conn->exec(sql, db::Params(id, in.title, in.album_artist_id, in.has_release_year,
                                          in.release_year, in.has_mbid, in.musicbrainz_albumid));
    });
    if (r.empty()) throw not_found(kAlbumNotFound);
    invalidate_catalog(ctx_.cache);
    return JsonText(r.str(0, 0));
}

void AlbumService::remove(int64_t id) {
    delete_or_404(ctx_, "DELETE FROM albums WHERE id = $1", id, kAlbumNotFound);
}

}  // namespace sonique::services
