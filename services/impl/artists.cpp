#include "services/artists.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/shapes_input.hpp"
#include "shapes.hpp"

namespace sonique::services {
namespace {

namespace ns = cache::ns;

// Artist rows s(j, k, id) aggregated in name order.
const std::string kAgg = "COALESCE(json_agg(s.j ORDER BY s.k, s.id), '[]'::json)";
const std::string kRow = "SELECT " + artist_json_sql() + " AS j, lower(a.name) AS k, a.id ";

std::string checked_name(Fields& f, bool required) {
    auto name = f.text("name", required);
    if (name && trim(*name).empty()) {
        f.add_issue("name", "String should have at least 1 character", "string_too_short");
        name.reset();
    }
    return name.value_or("");
}

// Normalised [{name, musicbrainz_artistid}] of a batch body; 422 on bad items.
Json batch_items(const Json& body) {
    require_array(body, {"body"});
    Json items = Json::array();
    for (size_t i = 0; i < body.size(); ++i) {
        Fields f(body[i], {"body", std::to_string(i)});
        std::string name = checked_name(f, true);
        auto mbid = f.text("musicbrainz_artistid");
        f.check();
        items.push_back({{"name", trim(name)}, {"mbid", mbid ? Json(*mbid) : Json()}});
    }
    return items;
}

}  // namespace

std::string ArtistService::list(int64_t skip, int64_t limit) {
    static const std::string head =
        "SELECT json_build_object('count', sonique_row_count('artists'), 'results', (SELECT " +
        kAgg + " FROM (" + kRow + "FROM artists a ORDER BY lower(a.name), a.id";
    std::string key = "list:" + std::to_string(skip) + ":" + std::to_string(limit);
    return ctx_.cache.get_or_load(ns::kArtists, key, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(conn->exec(head + page_sql(skip, limit) + ") s))"), "{}");
    });
}

std::string ArtistService::count() {
    return ctx_.cache.get_or_load(ns::kArtists, "count", [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(
            conn->exec("SELECT json_build_object('count', sonique_row_count('artists'))"));
    });
}

std::string ArtistService::search(const ArtistSearch& q) {
    static const std::string sql =
        "SELECT " + kAgg + " FROM (" + kRow +
        "FROM artists a WHERE ($1::text IS NULL OR lower(a.name) LIKE lower($1)) "
        "AND ($2::text IS NULL OR a.musicbrainz_artistid = $2) "
        "AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM tracks t WHERE t.track_artist_id = a.id "
        "AND (lower(t.genre) LIKE lower($3) "
        "OR EXISTS (SELECT 1 FROM track_genres tg JOIN genres g ON g.id = tg.genre_id "
        "WHERE tg.track_id = t.id AND lower(g.name) LIKE lower($3)) "
        "OR EXISTS (SELECT 1 FROM track_genre_tags l JOIN genre_tags x ON x.id = l.tag_id "
        "WHERE l.track_id = t.id AND lower(x.name) LIKE lower($3))))) "
        "ORDER BY lower(a.name), a.id OFFSET $4 LIMIT $5) s";
    std::optional<std::string> name, genre;
    if (q.name) name = like_pattern(*q.name);
    if (q.genre) genre = like_pattern(*q.genre);
    auto conn = ctx_.pool.acquire();
    return first_json(
        conn->exec(sql, db::Params(name, q.musicbrainz_artistid, genre, q.skip, q.limit)));
}

std::string ArtistService::create(const Json& body) {
    static const std::string sql =
        "INSERT INTO artists AS a (name, musicbrainz_artistid) VALUES ($1, $2) RETURNING " +
        artist_json_sql();
    Fields f(body, {"body"});
    std::string name = checked_name(f, true);
    auto mbid = f.text("musicbrainz_artistid");
    f.check();
    std::string out = with_conflict_detail(kArtistExists, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(conn->exec(sql, db::Params(trim(name), mbid)));
    });
    invalidate_catalog(ctx_.cache);
    return out;
}

std::string ArtistService::batch(const Json& body) {
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
    Json items = batch_items(body);
    std::string input = dump_json(items);
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    conn->exec(insert, db::Params(input, true));
    conn->exec(insert, db::Params(input, false));  // names whose MusicBrainz id collided
    std::string out = first_json(conn->exec(select, db::Params(input)));
    tx.commit();
    invalidate_catalog(ctx_.cache);
    return out;
}

std::string ArtistService::get(int64_t id) {
    static const std::string sql =
        "SELECT " + artist_json_sql() + " FROM artists a WHERE a.id = $1";
    return ctx_.cache.get_or_load(ns::kArtists, "id:" + std::to_string(id), [&] {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(sql, db::Params(id));
        if (r.empty()) throw not_found(kArtistNotFound);
        return r.str(0, 0);
    });
}

std::string ArtistService::update(int64_t id, const Json& body) {
    static const std::string sql =
        "UPDATE artists a SET name = COALESCE($2, a.name), musicbrainz_artistid = CASE WHEN $3 "
        "THEN $4 ELSE a.musicbrainz_artistid END, date_modified = now() WHERE a.id = $1 "
        "RETURNING " +
        artist_json_sql();
    Fields f(body, {"body"});
    std::optional<std::string> name;
    if (!f.is_null("name")) name = trim(checked_name(f, false));
    auto mbid = f.text("musicbrainz_artistid");
    f.check();
    auto r = with_conflict_detail(kArtistExists, [&] {
        auto conn = ctx_.pool.acquire();
        return conn->exec(sql, db::Params(id, name, f.has("musicbrainz_artistid"), mbid));
    });
    if (r.empty()) throw not_found(kArtistNotFound);
    invalidate_catalog(ctx_.cache);
    return r.str(0, 0);
}

void ArtistService::remove(int64_t id) {
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec("DELETE FROM artists WHERE id = $1", db::Params(id));
    if (r.affected() == 0) throw not_found(kArtistNotFound);
    invalidate_catalog(ctx_.cache);
}

std::string ArtistService::tracks(int64_t id) {
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
    auto r = conn->exec(sql, db::Params(id));
    if (!r.boolean(0, 0)) throw not_found(kArtistNotFound);
    return r.str(0, 1);
}

}  // namespace sonique::services
