// Computed similarity: the providers (the tags sets' here), and their merge with the stored rows
// of artist_similar in one statement per answer.
#include "services/similarity.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "search/tag_sets.hpp"
#include "services/artists.hpp"
#include "shared_reads.hpp"
#include "sonic_provider.hpp"

namespace sonique::services {
namespace {

// The tags sets as a provider: neighbours in the space of the library's tags.
class TagsProvider : public SimilarityProvider {
  public:
    explicit TagsProvider(search::TagSets& sets) : sets_(sets) {}
    std::string source() const override { return "tags"; }
    int track_rank() const noexcept override { return 100; }
    std::optional<std::vector<SimilarHit>> artists(int64_t id, size_t k) override {
        return hits(sets_.similar(search::TagKind::kArtist, id, k));
    }
    std::optional<std::vector<SimilarHit>> tracks(int64_t id, size_t k) override {
        return hits(sets_.similar(search::TagKind::kTrack, id, k));
    }

  private:
    static std::optional<std::vector<SimilarHit>> hits(
        const std::optional<std::vector<search::VectorHit>>& found) {
        if (!found) return std::nullopt;
        std::vector<SimilarHit> out;
        for (const auto& h : *found)
            out.push_back({h.id, std::clamp(static_cast<double>(h.score), 0.0, 1.0)});
        return out;
    }
    search::TagSets& sets_;
};

// Stored rows of artist $1 as they are (one per similar artist and source, as §4 stores them),
// then computed ones ($3: JSON [{id, weight, source}]) for the similar artists that no stored
// row names, one each (its best weight), best weight first, then stored rows by id, then by
// artist id. Computed rows have no row id and are dated now. $2: the limit.
const std::string kMerged =
    "WITH c AS (SELECT DISTINCT ON (x.id) x.* FROM json_to_recordset($3::json) AS x(id bigint, "
    "weight float8, source text) WHERE x.id <> $1 AND NOT EXISTS (SELECT 1 FROM artist_similar "
    "s WHERE s.artist_id = $1 AND s.similar_artist_id = x.id) ORDER BY x.id, x.weight DESC, "
    "x.source), r1 AS (SELECT r.id, r.artist_id, r.similar_artist_id, r.weight, r.source, "
    "r.date_added, r.date_modified FROM artist_similar r WHERE r.artist_id = $1 UNION ALL SELECT "
    "NULL::bigint, $1::bigint, c.id, c.weight, c.source, now(), now() FROM c), r AS (SELECT "
    "r1.*, o.name FROM r1 JOIN artists o ON o.id = r1.similar_artist_id ORDER BY r1.weight DESC, "
    "r1.id NULLS LAST, r1.similar_artist_id LIMIT $2) ";

const std::string kSimilarSql =
    kMerged +
    "SELECT EXISTS (SELECT 1 FROM artists WHERE id = $1), (SELECT COALESCE(json_agg("
    "json_build_object('id', r.id, 'artist_id', r.artist_id, 'similar_artist_id', "
    "r.similar_artist_id, 'weight', r.weight, 'source', r.source, 'similar_artist_name', r.name, "
    "'date_added', " +
    iso_ts_sql("r.date_added") + ", 'date_modified', " + iso_ts_sql("r.date_modified") +
    ") ORDER BY r.weight DESC, r.id NULLS LAST, r.similar_artist_id), '[]'::json) FROM r)";

std::string computed_json(const std::vector<int64_t>& ids, const std::vector<double>& weights,
                          const std::vector<std::string>& sources) {
    Json list = Json::array();
    for (size_t i = 0; i < ids.size(); ++i)
        list.push_back({{"id", ids[i]}, {"weight", weights[i]}, {"source", sources[i]}});
    return dump_json(list);
}

}  // namespace

Similarity::Similarity(ServiceContext& ctx) : ctx_(ctx) {
    providers_.push_back(make_sonic_provider(ctx));
}

Similarity::~Similarity() = default;

search::TagSets& Similarity::tags() {
    std::lock_guard lock(mutex_);
    if (!tags_) {
        search::TagSetsOptions o;
        o.dir = ctx_.config.index_dir;
        o.exact_limit = static_cast<size_t>(ctx_.config.vector_exact_limit);
        o.background = &ctx_.background_pool();
        tags_ = std::make_unique<search::TagSets>(ctx_.pool, std::move(o));
        providers_.push_back(std::make_shared<TagsProvider>(*tags_));
    }
    return *tags_;
}

void Similarity::add_provider(std::shared_ptr<SimilarityProvider> provider) {
    std::lock_guard lock(mutex_);
    providers_.push_back(std::move(provider));
}

std::vector<std::shared_ptr<SimilarityProvider>> Similarity::providers() {
    tags();
    std::lock_guard lock(mutex_);
    auto out = providers_;
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a->track_rank() < b->track_rank();
    });
    return out;
}

Similarity::Computed Similarity::computed_artists(int64_t artist_id, size_t k) {
    Computed c;
    for (const auto& p : providers()) {
        auto hits = p->artists(artist_id, k);
        if (!hits) continue;
        for (const auto& h : *hits) {
            c.ids.push_back(h.id);
            c.weights.push_back(h.score);
            c.sources.push_back(p->source());
        }
    }
    return c;
}

JsonText Similarity::similar_artists(int64_t artist_id, int64_t limit) {
    Computed c = computed_artists(artist_id, static_cast<size_t>(limit));
    auto conn = ctx_.pool.acquire();
    return owned_list(
        conn->exec(kSimilarSql,
                   db::Params(artist_id, limit, computed_json(c.ids, c.weights, c.sources))),
        kArtistNotFound);
}

std::map<int64_t, Json> Similarity::similar_artists_of(const std::vector<int64_t>& artist_ids,
                                                       int64_t limit) {
    static const std::string sql =
        "WITH c AS (SELECT DISTINCT ON (x.parent, x.id) x.* FROM json_to_recordset($2::json) AS "
        "x(parent bigint, id bigint, weight float8, source text) WHERE x.id <> x.parent AND NOT "
        "EXISTS (SELECT 1 FROM artist_similar s WHERE s.artist_id = x.parent AND "
        "s.similar_artist_id = x.id) ORDER BY x.parent, x.id, x.weight DESC, x.source), r1 AS "
        "(SELECT r.id, r.artist_id, r.similar_artist_id, r.weight, r.source FROM artist_similar r "
        "WHERE r.artist_id = ANY($1::bigint[]) UNION ALL SELECT NULL::bigint, c.parent, c.id, "
        "c.weight, c.source FROM c), r AS "
        "(SELECT r1.*, o.name, row_number() OVER (PARTITION BY r1.artist_id ORDER BY r1.weight "
        "DESC, r1.id NULLS LAST, r1.similar_artist_id) AS n FROM r1 JOIN artists o ON o.id = "
        "r1.similar_artist_id) SELECT artist_id, similar_artist_id, name, weight, source FROM r "
        "WHERE n <= $3 ORDER BY artist_id, n";
    std::map<int64_t, Json> out;
    Json computed = Json::array();
    std::string ids = "{";
    for (int64_t id : artist_ids) {
        out[id] = Json::array();
        ids += (ids.size() > 1 ? "," : "") + std::to_string(id);
        Computed c = computed_artists(id, static_cast<size_t>(limit));
        for (size_t i = 0; i < c.ids.size(); ++i)
            computed.push_back({{"parent", id},
                                {"id", c.ids[i]},
                                {"weight", c.weights[i]},
                                {"source", c.sources[i]}});
    }
    if (artist_ids.empty()) return out;
    auto r = ctx_.pool.acquire()->exec(sql, db::Params(ids + "}", dump_json(computed), limit));
    for (int i = 0; i < r.rows(); ++i)
        out[r.int64(i, 0)].push_back({{"id", r.int64(i, 1)},
                                      {"name", r.str(i, 2)},
                                      {"weight", r.dbl(i, 3)},
                                      {"source", r.str(i, 4)}});
    return out;
}

JsonText Similarity::recommendations(const std::string& artist_name, int64_t limit) {
    static const std::string find =
        "SELECT id, name FROM artists WHERE lower(name) = lower($1) OR sonique_fold(name) = "
        "sonique_fold($1) ORDER BY lower(name) = lower($1) DESC, id LIMIT 1";
    static const std::string sql =
        kMerged +
        "SELECT COALESCE(json_agg(json_build_object('artist_name', r.name, 'artist_id', "
        "r.similar_artist_id, 'cluster', NULL, 'similarity_score', r.weight) ORDER BY r.weight "
        "DESC, r.id NULLS LAST, r.similar_artist_id), '[]'::json), COALESCE(string_agg(DISTINCT "
        "r.source, '+' ORDER BY r.source), 'none'), max(r.weight) FROM r";
    auto found = ctx_.pool.acquire()->exec(find, db::Params(artist_name));
    Json answer = {{"artist_name", artist_name},
                   {"similar_artists", Json::array()},
                   {"cluster_based", false},
                   {"similarity_score", nullptr},
                   {"distance", nullptr},
                   {"cluster", nullptr},
                   {"source", "none"}};
    if (!found.empty()) {
        int64_t id = found.int64(0, 0);
        answer["artist_name"] = found.str(0, 1);
        Computed c = computed_artists(id, static_cast<size_t>(limit));
        auto r = ctx_.pool.acquire()->exec(
            sql, db::Params(id, limit, computed_json(c.ids, c.weights, c.sources)));
        answer["similar_artists"] = Json::parse(r.text(0, 0));
        answer["source"] = r.str(0, 1);
        if (!r.is_null(0, 2)) {
            double best = r.dbl(0, 2);
            answer["similarity_score"] = best;
            answer["distance"] = 1.0 - best;
        }
    }
    return JsonText::from({{"recommendations", answer}});
}

std::optional<Similarity::TrackNeighbours> Similarity::similar_tracks(int64_t track_id, size_t k) {
    for (const auto& p : providers())
        if (auto hits = p->tracks(track_id, k)) return TrackNeighbours{p->source(), *hits};
    return std::nullopt;
}

void Similarity::wait_idle() {
    std::lock_guard lock(mutex_);
    if (tags_) tags_->wait_idle();
}

}  // namespace sonique::services
