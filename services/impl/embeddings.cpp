// Track embeddings: rows in PostgreSQL (the source of truth), vector queries through the
// external vector sets of the search layer.
#include "services/embeddings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/thread_priority.hpp"
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
        thread_priority::lower();  // opening every set is start-up work, not a request's
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
