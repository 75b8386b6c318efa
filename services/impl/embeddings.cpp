// Track embeddings: rows in PostgreSQL (the source of truth), vector queries through the
// external vector sets of the search layer.
#include "services/embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "search/external_sets.hpp"
#include "services/similarity.hpp"
#include "services/sonic_index.hpp"
#include "services/tracks.hpp"

namespace sonique::services {
namespace {

const std::string kShape =
    "'id', e.id, 'track_id', e.track_id, 'embedding_type', e.embedding_type, "
    "'embedding_source', e.embedding_source, 'embedding_model', e.embedding_model, 'dimension', "
    "e.dimension, 'created_at', " +
    iso_ts_sql("e.date_added") + ", 'date_added', " + iso_ts_sql("e.date_added") +
    ", 'date_modified', " + iso_ts_sql("e.date_modified");

// The hits' rows, in the order given: $1 ids, $2 scores, $3 type.
const std::string kHitsJson =
    "SELECT COALESCE(json_agg(json_build_object('track_id', t.id, 'similarity_score', u.s, "
    "'embedding_type', $3::text, 'track_title', t.title, 'artist_name', ar.name, 'album_title', "
    "al.title) ORDER BY u.o), '[]'::json) FROM unnest($1::bigint[], $2::float8[]) WITH "
    "ORDINALITY AS u(id, s, o) JOIN tracks t ON t.id = u.id JOIN artists ar ON ar.id = "
    "t.track_artist_id LEFT JOIN albums al ON al.id = t.album_id";

std::string float_array(const std::vector<float>& v) {
    std::string out = "{";
    char buf[32];
    for (size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v[i]));
        if (i) out += ',';
        out += buf;
    }
    return out + "}";
}

template <typename T>
std::string int_array(const std::vector<T>& v) {
    std::string out = "{";
    for (size_t i = 0; i < v.size(); ++i)
        out += (i ? "," : "") + std::to_string(v[i]);
    return out + "}";
}

std::string double_array(const std::vector<double>& v) {
    std::string out = "{";
    char buf[40];
    for (size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.9g", v[i]);
        out += (i ? "," : "") + std::string(buf);
    }
    return out + "}";
}

[[noreturn]] void wrong_dimension(const char* field, size_t got, int64_t want,
                                  const std::string& type) {
    throw ValidationError({"body", field},
                          "Vector dimension " + std::to_string(got) +
                              " does not match the dimension " + std::to_string(want) +
                              " of embedding type '" + type + "'",
                          "value_error");
}

}  // namespace

EmbeddingService::EmbeddingService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity)
    : ctx_(ctx), similarity_(std::move(similarity)) {
    search::set_vector_threads(ctx.config.search_threads);
    search::ExternalSetsOptions o;
    o.dir = ctx.config.index_dir;
    o.exact_limit = static_cast<size_t>(ctx.config.vector_exact_limit);
    // IVF-Flat beyond the exact limit: it builds in seconds where HNSW takes minutes at 100,000
    // vectors, and removes in place (docs/search.md, "Index kinds": the measured choice).
    o.index.approximate = search::IndexParams::Approximate::kIvf;
    // Other servers on the same database and Redis hear of this one's writes and rebuilds.
    o.sync = search::VectorSync::create(ctx.events,
                                        search::VectorSync::channel(ctx.config.redis_prefix));
    o.background = &ctx.background_pool();
    sets_ = std::make_unique<search::ExternalSets>(ctx.pool, std::move(o));
    preload_ = std::thread([this] {
        try {
            sets_->preload();
        } catch (const std::exception&) {
            // PostgreSQL not there yet: each set opens on its first query instead.
        }
    });
}

EmbeddingService::~EmbeddingService() {
    if (preload_.joinable()) preload_.join();
}

JsonText EmbeddingService::list(int64_t track_id, const std::optional<std::string>& type) {
    static const std::string sql =
        "SELECT EXISTS (SELECT 1 FROM tracks WHERE id = $1), (SELECT COALESCE(json_agg("
        "json_build_object(" +
        kShape +
        ") ORDER BY e.embedding_type), '[]'::json) FROM track_embeddings e WHERE e.track_id = $1 "
        "AND ($2::text IS NULL OR e.embedding_type = $2))";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(track_id, type));
    if (r.str(0, 0) != "t") throw not_found(kTrackNotFound);
    return JsonText(r.str(0, 1));
}

JsonText EmbeddingService::get(int64_t track_id, const std::string& type) {
    static const std::string sql = "SELECT json_build_object(" + kShape +
                                   ", 'vector', e.vector) FROM track_embeddings e WHERE "
                                   "e.track_id = $1 AND e.embedding_type = $2";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(track_id, type));
    if (r.empty()) throw not_found(kEmbeddingNotFound);
    return JsonText(r.str(0, 0));
}

JsonText EmbeddingService::put(int64_t track_id, const EmbeddingInput& in, bool must_exist) {
    // The type's row fixes its dimension (created by its first vector, locked by the upsert so
    // that two first vectors of different sizes cannot both win); the vector is written only
    // when it has that dimension.
    static const std::string sql =
        "WITH t AS (INSERT INTO embedding_types (embedding_type, dimension) VALUES ($2, $3) ON "
        "CONFLICT (embedding_type) DO UPDATE SET dimension = embedding_types.dimension RETURNING "
        "dimension, generation), w AS (INSERT INTO track_embeddings AS e (track_id, "
        "embedding_type, "
        "embedding_source, embedding_model, dimension, vector) SELECT $1, $2, $4, $5, $3, "
        "$6::real[] FROM t WHERE t.dimension = $3 ON CONFLICT (track_id, embedding_type) DO "
        "UPDATE SET embedding_source = EXCLUDED.embedding_source, embedding_model = "
        "EXCLUDED.embedding_model, vector = EXCLUDED.vector, date_modified = now() RETURNING "
        "e.*) SELECT (SELECT dimension FROM t), (SELECT json_build_object(" +
        kShape + ", 'vector', e.vector) FROM w e), (SELECT generation FROM t)";
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (conn->exec("SELECT 1 FROM tracks WHERE id = $1", db::Params(track_id)).empty())
        throw not_found(kTrackNotFound);
    if (must_exist && conn->exec("SELECT 1 FROM track_embeddings WHERE track_id = $1 AND "
                                 "embedding_type = $2",
                                 db::Params(track_id, in.embedding_type))
                          .empty())
        throw not_found(kEmbeddingNotFound);
    auto dim = static_cast<int64_t>(in.vector.size());
    auto r = conn->exec(sql, db::Params(track_id, in.embedding_type, dim, in.embedding_source,
                                        in.embedding_model, float_array(in.vector)));
    if (r.is_null(0, 1))
        wrong_dimension("vector", in.vector.size(), r.int64(0, 0), in.embedding_type);
    int64_t generation = conn->exec(
                                 "SELECT generation FROM embedding_types WHERE "
                                 "embedding_type = $1",
                                 db::Params(in.embedding_type))
                             .int64(0, 0);
    tx.commit();
    // The type's row stays locked from the upsert to the commit, so the generation it had before
    // this statement is the one this write follows (other servers apply it incrementally).
    sets_->get(in.embedding_type, static_cast<int>(dim))
        ->upsert(track_id, in.vector, generation, r.int64(0, 2));
    return JsonText(r.str(0, 1));
}

void EmbeddingService::remove(int64_t track_id, const std::string& type) {
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    // Locked until the commit: no other write of this type comes between `previous` and ours.
    auto before =
        conn->exec("SELECT generation FROM embedding_types WHERE embedding_type = $1 FOR UPDATE",
                   db::Params(type));
    auto r = conn->exec(
        "DELETE FROM track_embeddings WHERE track_id = $1 AND embedding_type = "
        "$2 RETURNING dimension",
        db::Params(track_id, type));
    if (r.empty()) throw not_found(kEmbeddingNotFound);
    auto g = conn->exec("SELECT generation FROM embedding_types WHERE embedding_type = $1",
                        db::Params(type));
    tx.commit();
    // A type that lost its last vector is gone (-2, as its set's source reports it).
    int64_t generation = g.empty() ? -2 : g.int64(0, 0);
    sets_->removed(type, track_id, generation, before.empty() ? -1 : before.int64(0, 0));
}

JsonText EmbeddingService::answer(const std::vector<int64_t>& ids,
                                  const std::vector<double>& scores, const std::string& type) {
    auto conn = ctx_.pool.acquire();
    return JsonText(
        conn->exec(kHitsJson, db::Params(int_array(ids), double_array(scores), type)).str(0, 0));
}

JsonText EmbeddingService::search(const VectorQuery& q, std::string* index) {
    int64_t dimension = 0;
    {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec("SELECT dimension FROM embedding_types WHERE embedding_type = $1",
                            db::Params(q.embedding_type));
        if (r.empty()) {
            if (index) *index = "none";
            return JsonText("[]");
        }
        dimension = r.int64(0, 0);
    }
    if (static_cast<int64_t>(q.query_vector.size()) != dimension)
        wrong_dimension("query_vector", q.query_vector.size(), dimension, q.embedding_type);
    auto set = sets_->get(q.embedding_type, static_cast<int>(dimension));
    auto hits =
        set->search(q.query_vector, static_cast<size_t>(q.limit) + q.exclude_track_ids.size());
    if (!hits) {
        if (index) *index = "scan";
        // The exact scan while the index is not ready: cosine similarity in PostgreSQL.
        static const std::string sql =
            "SELECT COALESCE(json_agg(json_build_object('track_id', t.id, 'similarity_score', "
            "s.score, 'embedding_type', $2::text, 'track_title', t.title, 'artist_name', ar.name, "
            "'album_title', al.title) ORDER BY s.score DESC, s.track_id), '[]'::json) FROM "
            "(SELECT z.track_id, z.score FROM (SELECT e.track_id, (SELECT sum(a::float8 * b) FROM "
            "unnest(e.vector, $1::real[]) u(a, b)) / NULLIF(sqrt((SELECT sum(a::float8 * a) FROM "
            "unnest(e.vector) a) * (SELECT sum(b::float8 * b) FROM unnest($1::real[]) b)), 0) AS "
            "score FROM track_embeddings e WHERE e.embedding_type = $2 AND e.track_id <> "
            "ALL($3::bigint[])) z WHERE z.score IS NOT NULL AND ($4::float8 IS NULL OR z.score >= "
            "$4) ORDER BY z.score DESC, z.track_id LIMIT $5) s JOIN tracks t ON t.id = s.track_id "
            "JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums al ON al.id = "
            "t.album_id";
        auto conn = ctx_.pool.acquire();
        return JsonText(
            conn->exec(sql, db::Params(float_array(q.query_vector), q.embedding_type,
                                       int_array(q.exclude_track_ids), q.min_similarity, q.limit))
                .str(0, 0));
    }
    if (index) *index = "faiss";
    std::vector<int64_t> ids;
    std::vector<double> scores;
    for (const auto& h : *hits) {
        if (static_cast<int64_t>(ids.size()) == q.limit) break;
        if (std::find(q.exclude_track_ids.begin(), q.exclude_track_ids.end(), h.id) !=
            q.exclude_track_ids.end())
            continue;
        if (q.min_similarity && h.score < *q.min_similarity) continue;
        ids.push_back(h.id);
        scores.push_back(h.score);
    }
    return answer(ids, scores, q.embedding_type);
}

JsonText EmbeddingService::search_similar(int64_t track_id, VectorQuery q, bool exclude_self,
                                          std::string* index) {
    {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(
            "SELECT EXISTS (SELECT 1 FROM tracks WHERE id = $1), (SELECT vector FROM "
            "track_embeddings WHERE track_id = $1 AND embedding_type = $2)",
            db::Params(track_id, q.embedding_type));
        if (r.str(0, 0) != "t") throw not_found(kTrackNotFound);
        if (r.is_null(0, 1)) throw not_found(kEmbeddingNotFound);
        q.query_vector.clear();
        search::parse_float_array(r.text(0, 1), q.query_vector);
    }
    if (exclude_self) q.exclude_track_ids.push_back(track_id);
    return search(q, index);
}

// Keeps the first `limit` hits, one per artist when asked.
static Json keep(Json hits, int64_t limit, bool distinct_artists) {
    Json items = Json::array();
    std::vector<std::string> artists;
    for (auto& h : hits) {
        if (static_cast<int64_t>(items.size()) == limit) break;
        std::string artist = h.value("artist_name", "");
        if (distinct_artists) {
            if (std::find(artists.begin(), artists.end(), artist) != artists.end()) continue;
            artists.push_back(artist);
        }
        items.push_back(std::move(h));
    }
    return items;
}

// The track's own sound first (every analysed track has it, and it answers from memory:
// docs/analysis.md, "The sonic set"); else its external embedding type that holds the most
// vectors; else the first computed provider that knows the track (Similarity: tags). The
// answer's items keep the shape of the embeddings search, `source` naming the set.
JsonText EmbeddingService::similar_tracks(int64_t track_id, int64_t limit, bool distinct_artists) {
    // Room for the tracks of artists already taken.
    const int64_t wanted = std::min<int64_t>(distinct_artists ? limit * 5 : limit, 500);
    // The track's embedding types (an index look-up): their sizes come from their sets.
    std::vector<std::pair<std::string, int>> types;
    {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(
            "SELECT EXISTS (SELECT 1 FROM tracks WHERE id = $1), (SELECT json_agg(json_build_array("
            "embedding_type, dimension) ORDER BY embedding_type) FROM track_embeddings WHERE "
            "track_id = $1)",
            db::Params(track_id));
        if (r.str(0, 0) != "t") throw not_found(kTrackNotFound);
        if (!r.is_null(0, 1))
            for (const auto& t : Json::parse(r.text(0, 1)))
                types.emplace_back(t[0].get<std::string>(), t[1].get<int>());
    }
    auto from_hits = [&](const std::vector<int64_t>& ids, const std::vector<double>& scores,
                         const std::string& source) {
        Json items = keep(Json::parse(answer(ids, scores, source).text), limit, distinct_artists);
        return JsonText::from({{"track_id", track_id}, {"source", source}, {"items", items}});
    };
    if (ctx_.sonic)
        if (auto hits = ctx_.sonic->similar_tracks(track_id, static_cast<size_t>(wanted))) {
            std::vector<int64_t> ids;
            std::vector<double> scores;
            for (const auto& h : *hits) {
                ids.push_back(h.id);
                scores.push_back(h.similarity);
            }
            return from_hits(ids, scores, "sonic");
        }
    if (!types.empty()) {
        auto [type, set] = largest_set(track_id, types);
        if (set)
            if (auto hits = set->neighbours(track_id, static_cast<size_t>(wanted))) {
                std::vector<int64_t> ids;
                std::vector<double> scores;
                for (const auto& h : *hits) {
                    ids.push_back(h.id);
                    scores.push_back(h.score);
                }
                return from_hits(ids, scores, type);
            }
        // The index is not ready or does not hold the track yet: its vector from PostgreSQL.
        VectorQuery q;
        q.embedding_type = type;
        q.limit = wanted;
        Json items =
            keep(Json::parse(search_similar(track_id, q, true).text), limit, distinct_artists);
        return JsonText::from({{"track_id", track_id}, {"source", type}, {"items", items}});
    }
    if (similarity_)
        if (auto computed = similarity_->similar_tracks(track_id, static_cast<size_t>(wanted))) {
            std::vector<int64_t> ids;
            std::vector<double> scores;
            for (const auto& h : computed->hits) {
                ids.push_back(h.id);
                scores.push_back(h.score);
            }
            return from_hits(ids, scores, computed->source);
        }
    return JsonText::from({{"track_id", track_id}, {"source", "none"}, {"items", Json::array()}});
}

// Of the track's types ((type, dimension) by name), the one whose set holds the most
// vectors (the first by name on equal counts). The sets' sizes are counted in memory, kept with
// their indexes; only while one of them has no index yet are the types' rows counted in
// PostgreSQL instead (one statement). The set is null in that case.
std::pair<std::string, std::shared_ptr<search::VectorSet>> EmbeddingService::largest_set(
    int64_t track_id, const std::vector<std::pair<std::string, int>>& types) {
    std::string best;
    std::shared_ptr<search::VectorSet> best_set;
    size_t best_size = 0;
    for (const auto& [type, dimension] : types) {
        auto set = sets_->get(type, dimension);
        auto status = set->status();
        if (!status.ready) {
            best_set = nullptr;
            break;
        }
        if (!best_set || status.size > best_size) {
            best = type;
            best_set = std::move(set);
            best_size = status.size;
        }
    }
    if (best_set) return {best, best_set};
    auto r = ctx_.pool.acquire()->exec(
        "SELECT e.embedding_type FROM track_embeddings e WHERE e.track_id = $1 ORDER BY (SELECT "
        "count(*) FROM track_embeddings x WHERE x.embedding_type = e.embedding_type) DESC, "
        "e.embedding_type LIMIT 1",
        db::Params(track_id));
    return {r.empty() ? types[0].first : r.str(0, 0), nullptr};
}

JsonText EmbeddingService::statistics() {
    static const std::string sql =
        "SELECT COALESCE(json_agg(json_build_object('embedding_type', t.embedding_type, "
        "'dimension', t.dimension, 'count', (SELECT count(*) FROM track_embeddings e WHERE "
        "e.embedding_type = t.embedding_type)) ORDER BY t.embedding_type), '[]'::json) FROM "
        "embedding_types t";
    auto conn = ctx_.pool.acquire();
    Json types = Json::parse(conn->exec(sql).str(0, 0));
    int64_t total = 0;
    for (const auto& t : types)
        total += t["count"].get<int64_t>();
    Json indexes = Json::array();
    for (auto& [name, set] : sets_->opened()) {
        auto s = set->status();
        indexes.push_back({{"embedding_type", name},
                           {"ready", s.ready},
                           {"building", s.building},
                           {"kind", s.exact ? "exact" : "approximate"},
                           {"size", s.size},
                           {"generation", s.generation},
                           {"rebuilds", s.rebuilds},
                           {"remote_applied", s.remote_applied}});
    }
    return JsonText::from({{"types", types}, {"total_embeddings", total}, {"indexes", indexes}});
}

void EmbeddingService::wait_idle() {
    for (auto& [name, set] : sets_->opened())
        set->wait_idle();
}

}  // namespace sonique::services
