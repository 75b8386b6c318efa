// The tags sets' documents, read from PostgreSQL in one statement per set, and their queries.
#include "search/tag_sets.hpp"

#include <algorithm>

#include "db/pool.hpp"
#include "search/tag_model.hpp"

namespace sonique::search {
namespace {

// The tags generation (migration 0018) and whether another transaction of this database is
// writing: a write whose statement moved the generation before this snapshot may commit after
// it, so the snapshot's generation is then unknown (-1) and the next check rebuilds again.
constexpr const char* kGeneration =
    "SELECT (SELECT last_value FROM sonique_tags_generation) AS generation, EXISTS (SELECT 1 "
    "FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL AND "
    "pid <> pg_backend_pid()) AS busy";

// Every (track, folded tag) of the library: its genre, genres, genre tags and mood tags.
constexpr const char* kTrackTags =
    "tt AS (SELECT DISTINCT u.track_id, sonique_fold(u.tag) AS tag FROM (SELECT id AS track_id, "
    "genre AS tag FROM tracks WHERE genre <> '' UNION ALL SELECT tg.track_id, g.name FROM "
    "track_genres tg JOIN genres g ON g.id = tg.genre_id UNION ALL SELECT x.track_id, m.name "
    "FROM track_genre_tags x JOIN genre_tags m ON m.id = x.tag_id UNION ALL SELECT x.track_id, "
    "m.name FROM track_mood_tags x JOIN mood_tags m ON m.id = x.tag_id) u), "
    // The Last.fm tags stored through PUT /api/artists/{id}/lastfm-info: a list of names or of
    // {name} objects, under "tags" or Last.fm's own "tags": {"tag": [...]}.
    "lf AS (SELECT DISTINCT a.id AS artist_id, sonique_fold(CASE jsonb_typeof(e) WHEN 'string' "
    "THEN e #>> '{}' WHEN 'object' THEN e ->> 'name' END) AS tag FROM artists a CROSS JOIN "
    "LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(a.lastfm_info -> 'tags') = 'array' THEN "
    "a.lastfm_info -> 'tags' WHEN jsonb_typeof(a.lastfm_info -> 'tags' -> 'tag') = 'array' THEN "
    "a.lastfm_info -> 'tags' -> 'tag' ELSE '[]'::jsonb END) e WHERE a.lastfm_info IS NOT NULL)";

// An artist's document: each library tag weighted 1 + ln(tracks carrying it), each Last.fm tag
// as if every one of its tracks carried it.
const std::string kArtistDocs =
    std::string("WITH g AS (") + kGeneration + "), " + kTrackTags +
    ", docs AS (SELECT t.track_artist_id AS id, tt.tag, 1 + ln(count(*)) AS w FROM tt JOIN "
    "tracks t ON t.id = tt.track_id GROUP BY 1, 2 UNION ALL SELECT lf.artist_id, lf.tag, 1 + "
    "ln(1 + (SELECT count(*) FROM tracks x WHERE x.track_artist_id = lf.artist_id)) FROM lf "
    "WHERE lf.tag <> '') SELECT g.generation, g.busy, d.id, d.tag, d.w FROM g LEFT JOIN docs d "
    "ON true ORDER BY d.id, d.tag";

// A track's document: its own tags weighted 1, its artist's Last.fm tags 0.5 (they describe the
// artist's work as a whole, not this track).
const std::string kTrackDocs =
    std::string("WITH g AS (") + kGeneration + "), " + kTrackTags +
    ", docs AS (SELECT tt.track_id AS id, tt.tag, 1.0::float8 AS w FROM tt UNION ALL SELECT "
    "t.id, lf.tag, 0.5 FROM tracks t JOIN lf ON lf.artist_id = t.track_artist_id WHERE lf.tag "
    "<> '') SELECT g.generation, g.busy, d.id, d.tag, d.w FROM g LEFT JOIN docs d ON true "
    "ORDER BY d.id, d.tag";

VectorSource source_of(db::Pool& pool, const std::string& sql, int dimension) {
    VectorSource s;
    s.load = [&pool, sql, dimension]() {
        db::Result r = pool.acquire()->exec(sql);
        std::vector<TagDocument> docs;
        for (int i = 0; i < r.rows(); ++i) {
            if (r.is_null(i, 2) || r.is_null(i, 3)) continue;
            int64_t id = r.int64(i, 2);
            if (docs.empty() || docs.back().id != id) docs.push_back({id, {}});
            docs.back().tags.emplace_back(r.str(i, 3), r.dbl(i, 4));
        }
        std::pair<int64_t, VectorData> out;
        out.first = r.boolean(0, 1) ? -1 : r.int64(0, 0);
        TagModel model = TagModel::fit(docs, dimension);
        out.second.dimension = dimension;
        for (const auto& doc : docs) {
            std::vector<float> v = model.embed(doc.tags);
            bool zero = true;
            for (float x : v)
                zero = zero && x == 0.0f;
            if (zero) continue;  // nothing of it in the reduced space
            out.second.ids.push_back(doc.id);
            out.second.values.insert(out.second.values.end(), v.begin(), v.end());
        }
        out.second.attachment = model.serialise();
        return out;
    };
    s.generation = [&pool]() -> int64_t {
        return pool.acquire()->exec("SELECT last_value FROM sonique_tags_generation").int64(0, 0);
    };
    return s;
}

std::vector<VectorHit> above(std::vector<VectorHit> hits, float min_score) {
    std::erase_if(hits, [min_score](const VectorHit& h) { return h.score < min_score; });
    return hits;
}

}  // namespace

TagSets::TagSets(db::Pool& pool, TagSetsOptions options) : pool_(pool) {
    auto open = [&](const char* name, const std::string& sql) {
        VectorSetOptions o;
        o.name = name;
        o.dimension = options.dimension;
        o.file = options.dir.empty() ? "" : options.dir + "/" + name + ".faiss";
        o.exact_limit = options.exact_limit;
        o.check_every = options.check_every;
        db::Pool& loads = options.background ? *options.background : pool_;
        return std::make_unique<VectorSet>(std::move(o), source_of(loads, sql, options.dimension));
    };
    artists_ = open("tags-artists", kArtistDocs);
    tracks_ = open("tags-tracks", kTrackDocs);
}

TagSets::~TagSets() = default;

VectorSet& TagSets::set(TagKind kind) {
    return kind == TagKind::kArtist ? *artists_ : *tracks_;
}

// Parsing a model costs a pass over its basis: done once per attachment (per rebuild), kept
// while that attachment is the one that answers.
std::shared_ptr<const TagModel> TagSets::model(
    const std::shared_ptr<const std::string>& attachment) {
    if (!attachment) return nullptr;
    std::lock_guard lock(cache_mutex_);
    for (const auto& c : cache_)
        if (c.attachment == attachment) return c.model;
    std::shared_ptr<const TagModel> parsed;
    if (auto m = TagModel::deserialise(*attachment))
        parsed = std::make_shared<const TagModel>(std::move(*m));
    if (cache_.size() >= 4) cache_.erase(cache_.begin());
    cache_.push_back({attachment, parsed});
    return parsed;
}

std::optional<std::vector<VectorHit>> TagSets::search(TagKind kind, std::string_view folded,
                                                      size_t k, float min_score) {
    auto hits = set(kind).search_with(
        [&](const std::shared_ptr<const std::string>& attachment)
            -> std::optional<std::vector<float>> {
            auto m = model(attachment);
            if (!m || m->dimension() != set(kind).dimension()) return std::nullopt;
            auto query = m->embed_query(folded);
            // No known term: the zero vector, no hits, and no scan of the index to learn that
            // (a flat scan of 100,000 tracks per POST /api/search/ of plain names).
            if (std::all_of(query.begin(), query.end(), [](float x) { return x == 0.0f; }))
                return std::nullopt;
            return query;
        },
        k);
    if (!hits) return std::nullopt;
    return above(std::move(*hits), min_score);
}

std::optional<std::vector<VectorHit>> TagSets::similar(TagKind kind, int64_t id, size_t k,
                                                       float min_score) {
    auto hits = set(kind).neighbours(id, k);
    if (!hits) return std::nullopt;
    return above(std::move(*hits), min_score);
}

std::string TagSets::fold(std::string_view text) {
    return pool_.acquire()->exec("SELECT sonique_fold($1::text)", db::Params(text)).str(0, 0);
}

void TagSets::rebuild() {
    artists_->rebuild();
    tracks_->rebuild();
}

void TagSets::wait_idle() {
    artists_->wait_idle();
    tracks_->wait_idle();
}

}  // namespace sonique::search
