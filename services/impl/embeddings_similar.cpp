// GET /api/tracks/{id}/similar ("more like this"): the set that answers for a track, chosen
// from the sets' sizes in memory, and its neighbours read from the index (docs/search.md, "More
// like this").
#include <algorithm>

#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "search/external_sets.hpp"
#include "services/embeddings.hpp"
#include "services/similarity.hpp"
#include "services/sonic_index.hpp"
#include "services/tracks.hpp"

namespace sonique::services {

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

}  // namespace sonique::services
