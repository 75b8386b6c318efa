#include "services/artists.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

namespace ns = cache::ns;

// Artist rows s(j, k, id) aggregated in name order.
const std::string kAgg = "COALESCE(json_agg(s.j ORDER BY s.k, s.id), '[]'::json)";
const std::string kRow = "SELECT " + artist_json_sql() + " AS j, lower(a.name) AS k, a.id ";

// [{name, mbid}] for the batch SQL.
std::string batch_json(const std::vector<ArtistInput>& inputs) {
    Json items = Json::array();
    for (const auto& in : inputs)
        items.push_back(
            {{"name", in.name.value_or("")},
             {"mbid", in.musicbrainz_artistid ? Json(*in.musicbrainz_artistid) : Json()}});
    return dump_json(items);
}

}  // namespace

JsonText ArtistService::list(int64_t skip, int64_t limit) {
    // The page's ids first, then the shapes (their cover subqueries) of those rows only.
    std::string key = "list:" + std::to_string(skip) + ":" + std::to_string(limit);
    std::string sql =
        "SELECT json_build_object('count', sonique_row_count('artists'), 'results', (SELECT " +
        kAgg + " FROM (" + kRow + "FROM (SELECT id FROM artists ORDER BY lower(name), id" +
        page_sql(skip, limit) + ") p JOIN artists a ON a.id = p.id) s))";
    return cached_json(ctx_, ns::kArtists, key, sql, "{}");
}

JsonText ArtistService::count() {
    return cached_json(ctx_, ns::kArtists, "count",
                       "SELECT json_build_object('count', sonique_row_count('artists'))");
}

JsonText ArtistService::search(const ArtistSearch& q) {
    // As list(): the matching page's ids first, then the shapes of those rows only.
    static const std::string sql =
        "SELECT " + kAgg + " FROM (" + kRow +
        "FROM (SELECT a.id FROM artists a WHERE ($1::text IS NULL OR lower(a.name) LIKE lower($1)) "
        "AND ($2::text IS NULL OR a.musicbrainz_artistid = $2) "
        "AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tracks t WHERE t.track_artist_id = a.id "
        "AND (lower(t.genre) LIKE lower($3) "
        "OR EXISTS (SELECT 1 FROM track_genres tg JOIN genres g ON g.id = tg.genre_id "
        "WHERE tg.track_id = t.id AND lower(g.name) LIKE lower($3)) "
        "OR EXISTS (SELECT 1 FROM track_genre_tags l JOIN genre_tags x ON x.id = l.tag_id "
        "WHERE l.track_id = t.id AND lower(x.name) LIKE lower($3))))) "
        "ORDER BY lower(a.name), a.id OFFSET $4 LIMIT $5) p JOIN artists a ON a.id = p.id) s";
    std::optional<std::string> name, genre;
    if (q.name) name = like_pattern(*q.name);
    if (q.genre) genre = like_pattern(*q.genre);
    auto conn = ctx_.pool.acquire();
    return JsonText(first_json(
        conn->exec(sql, db::Params(name, q.musicbrainz_artistid, genre, q.skip, q.limit))));
}

JsonText ArtistService::create(const ArtistInput& in) {
    static const std::string sql =
        "INSERT INTO artists AS a (name, musicbrainz_artistid) VALUES ($1, $2) RETURNING " +
        artist_json_sql();
    std::string out = with_conflict_detail(kArtistExists, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(
            conn->exec(sql, db::Params(in.name.value_or(""), in.musicbrainz_artistid)));
    });
    invalidate_catalog(ctx_.cache);
    return JsonText(out);
}

JsonText ArtistService::batch(const std::vector<ArtistInput>& items) {
    // A MusicBrainz id already taken by another artist is dropped rather than failing the row.
    static const std::string insert =
        "INSERT INTO artists (name, musicbrainz_artistid) SELECT DISTINCT ON (lower(o.e->>'name')) "
        "o.e->>'name', CASE WHEN $2 AND NOT EXISTS (SELECT 1 FROM artists x WHERE "
        "x.musicbrainz_artistid = o.e->>'mbid') THEN o.e->>'mbid' END "
        "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord) "
        "ORDER BY lower(o.e->>'name'), o.ord ON CONFLICT DO NOTHING";
    static const std::string select =
        "SELECT COALESCE(json_agg(" + artist_json_sql() +
        " ORDER BY o.ord), '[]'::json) FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS "
        "o(e, ord) JOIN artists a ON lower(a.name) = lower(o.e->>'name')";
    std::string input = batch_json(items);
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    conn->exec(insert, db::Params(input, true));
    conn->exec(insert, db::Params(input, false));  // names whose MusicBrainz id collided
    std::string out = first_json(conn->exec(select, db::Params(input)));
    tx.commit();
    invalidate_catalog(ctx_.cache);
    return JsonText(out);
}

JsonText ArtistService::get(int64_t id) {
    static const std::string sql =
        "SELECT " + artist_json_sql() + " FROM artists a WHERE a.id = $1";
    return cached_by_id(ctx_, ns::kArtists, sql, id, kArtistNotFound);
}

JsonText ArtistService::update(int64_t id, const ArtistInput& in) {
    static const std::string sql =
        "UPDATE artists a SET name = COALESCE($2, a.name), musicbrainz_artistid = CASE WHEN $3 "
        "THEN $4 ELSE a.musicbrainz_artistid END, date_modified = now() WHERE a.id = $1 "
        "RETURNING " +
        artist_json_sql();
    auto r = with_conflict_detail(kArtistExists, [&] {
        auto conn = ctx_.pool.acquire();
        return conn->exec(
            sql, db::Params(id, in.name, in.musicbrainz_artistid_given, in.musicbrainz_artistid));
    });
    if (r.empty()) throw not_found(kArtistNotFound);
    invalidate_catalog(ctx_.cache);
    return JsonText(r.str(0, 0));
}

void ArtistService::remove(int64_t id) {
    delete_or_404(ctx_, "DELETE FROM artists WHERE id = $1", id, kArtistNotFound);
}

JsonText ArtistService::tracks(int64_t id) {
    static const std::string sql =
        "SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1), (SELECT COALESCE(json_agg(s.j ORDER "
        "BY s.y, s.at, s.aid, s.d, s.n, s.id), '[]'::json) FROM (SELECT " +
        track_json_sql() +
        " AS j, al.release_year AS y, lower(al.title) AS at, al.id AS aid, COALESCE(t.disc_no, 1) "
        "AS d, t.track_no AS n, t.id FROM " +
        track_from_sql() +
        " LEFT JOIN albums al ON al.id = t.album_id WHERE t.track_artist_id = $1 OR EXISTS "
        "(SELECT 1 FROM track_artists ta WHERE ta.track_id = t.id AND ta.artist_id = $1)) s)";
    auto conn = ctx_.pool.acquire();
    return owned_list(conn->exec(sql, db::Params(id)), kArtistNotFound);
}

}  // namespace sonique::services
