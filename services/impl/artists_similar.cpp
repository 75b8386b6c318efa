// Similar artists and Last.fm information (api.md §4).
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/artists.hpp"
#include "services/cover_shape.hpp"
#include "services/shapes_input.hpp"
#include "shapes.hpp"

namespace sonique::services {
namespace {

const std::string kRelationJson =
    "json_build_object('id', r.id, 'artist_id', r.artist_id, 'similar_artist_id', "
    "r.similar_artist_id, 'weight', r.weight, 'source', r.source, 'similar_artist_name', o.name, "
    "'date_added', " +
    iso_ts_sql("r.date_added") + ", 'date_modified', " + iso_ts_sql("r.date_modified") + ")";

double checked_weight(Fields& f) {
    auto w = f.number("weight", true);
    if (w && (*w < 0 || *w > 1)) {
        f.add_issue("weight", "Input should be between 0 and 1", "less_than_equal");
        w.reset();
    }
    return w.value_or(0);
}

void require_artist(db::Connection& conn, int64_t id) {
    if (conn.exec("SELECT 1 FROM artists WHERE id = $1", db::Params(id)).empty())
        throw not_found(kArtistNotFound);
}

}  // namespace

std::string ArtistService::similar(int64_t id, int64_t limit) {
    static const std::string sql =
        "SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1), (SELECT COALESCE(json_agg(s.j ORDER "
        "BY s.weight DESC, s.id), '[]'::json) FROM (SELECT " +
        kRelationJson +
        " AS j, r.weight, r.id FROM artist_similar r JOIN artists o ON o.id = r.similar_artist_id "
        "WHERE r.artist_id = $1 ORDER BY r.weight DESC, r.id LIMIT $2) s)";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(id, limit));
    if (!r.boolean(0, 0)) throw not_found(kArtistNotFound);
    return r.str(0, 1);
}

Json ArtistService::add_similar(int64_t id, const Json& body) {
    Json out = body.is_array() ? add_similar_list(id, body) : add_similar_one(id, body);
    invalidate_catalog(ctx_.cache);
    return out;
}

Json ArtistService::add_similar_one(int64_t id, const Json& body) {
    static const std::string sql =
        "WITH w AS (INSERT INTO artist_similar (artist_id, similar_artist_id, weight, source) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (artist_id, similar_artist_id, source) DO UPDATE SET "
        "weight = EXCLUDED.weight, date_modified = now() RETURNING *) SELECT " +
        kRelationJson + " FROM w r JOIN artists o ON o.id = r.similar_artist_id";
    Fields f(body, {"body"});
    auto other = f.integer("similar_artist_id", true);
    double weight = checked_weight(f);
    auto source = f.text("source");
    f.check();
    if (*other == id) throw bad_request("Un artiste ne peut pas être similaire à lui-même");
    auto conn = ctx_.pool.acquire();
    require_artist(*conn, id);
    require_artist(*conn, *other);
    auto r = conn->exec(sql, db::Params(id, *other, weight, source.value_or("manual")));
    return parse_json(r.text(0, 0));
}

Json ArtistService::add_similar_list(int64_t id, const Json& body) {
    static const std::string create =
        "INSERT INTO artists (name) SELECT e->>'name' FROM jsonb_array_elements($1::jsonb) e "
        "ON CONFLICT DO NOTHING";
    // One row per ordered pair and source: the last occurrence in the list wins.
    static const std::string upsert =
        "INSERT INTO artist_similar (artist_id, similar_artist_id, weight, source) "
        "SELECT DISTINCT ON (a.id, o.e->>'source') $2::bigint, a.id, (o.e->>'weight')::float8, "
        "o.e->>'source' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord) "
        "JOIN artists a ON lower(a.name) = lower(o.e->>'name') WHERE a.id <> $2 "
        "ORDER BY a.id, o.e->>'source', o.ord DESC ON CONFLICT (artist_id, similar_artist_id, "
        "source) DO UPDATE SET weight = EXCLUDED.weight, date_modified = now()";
    Json items = Json::array();
    for (size_t i = 0; i < body.size(); ++i) {
        Fields f(body[i], {"body", std::to_string(i)});
        auto name = f.text("name", true);
        if (name && trim(*name).empty())
            f.add_issue("name", "String should have at least 1 character", "string_too_short");
        double weight = checked_weight(f);
        auto source = f.text("source");
        f.check();
        items.push_back(
            {{"name", trim(*name)}, {"weight", weight}, {"source", source.value_or("lastfm")}});
    }
    std::string input = dump_json(items);
    auto conn = ctx_.pool.acquire();
    require_artist(*conn, id);
    db::Transaction tx(*conn);
    conn->exec(create, db::Params(input));
    int64_t stored = conn->exec(upsert, db::Params(input, id)).affected();
    tx.commit();
    return {{"success", true},
            {"message", "Stored " + std::to_string(stored) + " similar artists"}};
}

Json ArtistService::set_lastfm_info(int64_t id, const Json& body) {
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    std::string info = dump_json(body);
    if (info.find("\\u0000") != std::string::npos)
        throw ValidationError({"body"}, "String should not contain NUL characters", "string_type");
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(
        "UPDATE artists SET lastfm_info = $2::jsonb, date_modified = now() WHERE id = $1 "
        "RETURNING name",
        db::Params(id, info));
    if (r.empty()) throw not_found(kArtistNotFound);
    invalidate_catalog(ctx_.cache);
    return {{"success", true}, {"message", "Last.fm info updated for artist " + r.str(0, 0)}};
}

}  // namespace sonique::services
