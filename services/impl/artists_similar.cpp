// Similar artists and Last.fm information (api-contract.md §4).
#include "core/strings.hpp"
#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/artists.hpp"
#include "services/similar_artists.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

const std::string kRelationJson =
    "json_build_object('id', r.id, 'artist_id', r.artist_id, 'similar_artist_id', "
    "r.similar_artist_id, 'weight', r.weight, 'source', r.source, 'similar_artist_name', o.name, "
    "'date_added', " +
    iso_ts_sql("r.date_added") + ", 'date_modified', " + iso_ts_sql("r.date_modified") + ")";

void require_artist(db::Connection& conn, int64_t id) {
    if (conn.exec("SELECT 1 FROM artists WHERE id = $1", db::Params(id)).empty())
        throw not_found(kArtistNotFound);
}

}  // namespace

// Stored rows as they are; each provider's rows for artists no stored row names, one per
// artist (the best weight, the earlier provider on ties), with no id and no dates. Best weight
// first, stored rows before computed ones on equal weights.
JsonText ArtistService::similar(int64_t id, int64_t limit) {
    static const std::string sql =
        "WITH c AS (SELECT DISTINCT ON (c.id) c.id, c.weight, c.source FROM unnest($3::bigint[], "
        "$4::float8[], $5::text[]) WITH ORDINALITY AS c(id, weight, source, n) WHERE c.id <> $1 "
        "AND NOT EXISTS (SELECT 1 FROM artist_similar r WHERE r.artist_id = $1 AND "
        "r.similar_artist_id = c.id) ORDER BY c.id, c.weight DESC, c.n), x AS (SELECT " +
        kRelationJson +
        " AS j, r.weight, 0 AS computed, r.id FROM artist_similar r JOIN artists o ON o.id = "
        "r.similar_artist_id WHERE r.artist_id = $1 UNION ALL SELECT json_build_object('id', "
        "NULL, 'artist_id', $1::bigint, 'similar_artist_id', o.id, 'weight', c.weight, 'source', "
        "c.source, 'similar_artist_name', o.name, 'date_added', NULL, 'date_modified', NULL), "
        "c.weight, 1, o.id FROM c JOIN artists o ON o.id = c.id) "
        "SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1), (SELECT COALESCE(json_agg(s.j ORDER "
        "BY s.weight DESC, s.computed, s.id), '[]'::json) FROM (SELECT * FROM x ORDER BY x.weight "
        "DESC, x.computed, x.id LIMIT $2) s)";
    std::string ids = "{", weights = "{", sources = "{";
    for (const auto& provider : similar_artist_providers(ctx_))
        for (const auto& a : provider.similar(id, limit)) {
            bool first = ids.size() == 1;
            ids += (first ? "" : ",") + std::to_string(a.id);
            weights += (first ? "" : ",") + std::to_string(a.weight);
            sources += (first ? "\"" : ",\"") + provider.source + "\"";
        }
    auto conn = ctx_.pool.acquire();
    return owned_list(
        conn->exec(sql, db::Params(id, limit, ids + "}", weights + "}", sources + "}")),
        kArtistNotFound);
}

JsonText ArtistService::add_similar(int64_t id, const SimilarArtistInput& in) {
    static const std::string sql =
        "WITH w AS (INSERT INTO artist_similar (artist_id, similar_artist_id, weight, source) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (artist_id, similar_artist_id, source) DO UPDATE SET "
        "weight = EXCLUDED.weight, date_modified = now() RETURNING *) SELECT " +
        kRelationJson + " FROM w r JOIN artists o ON o.id = r.similar_artist_id";
    if (in.similar_artist_id == id)
        throw bad_request("Un artiste ne peut pas être similaire à lui-même");
    auto conn = ctx_.pool.acquire();
    require_artist(*conn, id);
    require_artist(*conn, in.similar_artist_id);
    auto r = conn->exec(
        sql, db::Params(id, in.similar_artist_id, in.weight, in.source.value_or("manual")));
    invalidate_catalog(ctx_.cache);
    return JsonText(r.str(0, 0));
}

JsonText ArtistService::add_similar(int64_t id, const std::vector<SimilarByNameInput>& list) {
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
    for (const auto& in : list)
        items.push_back(
            {{"name", in.name}, {"weight", in.weight}, {"source", in.source.value_or("lastfm")}});
    std::string input = dump_json(items);
    auto conn = ctx_.pool.acquire();
    require_artist(*conn, id);
    db::Transaction tx(*conn);
    conn->exec(create, db::Params(input));
    int64_t stored = conn->exec(upsert, db::Params(input, id)).affected();
    tx.commit();
    invalidate_catalog(ctx_.cache);
    return JsonText::from(
        {{"success", true}, {"message", "Stored " + std::to_string(stored) + " similar artists"}});
}

JsonText ArtistService::set_lastfm_info(int64_t id, const LastfmInfo& info) {
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(
        "UPDATE artists SET lastfm_info = $2::jsonb, date_modified = now() WHERE id = $1 "
        "RETURNING name",
        db::Params(id, info.json));
    if (r.empty()) throw not_found(kArtistNotFound);
    invalidate_catalog(ctx_.cache);
    return JsonText::from(
        {{"success", true}, {"message", "Last.fm info updated for artist " + r.str(0, 0)}});
}

}  // namespace sonique::services
