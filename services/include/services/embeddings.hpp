#pragma once
// Track embeddings and vector search over them (api-contract.md §13, docs/search.md). One
// instance serves every request (it owns the external vector sets). Any thread. Methods throw
// the contract's errors (404 "Piste non trouvée", "Embedding non trouvé"), ValidationError (422)
// and db::DbError.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::search {
class ExternalSets;
class VectorSet;
}  // namespace sonique::search

namespace sonique::services {

class Similarity;

// A vector as posted: finite, non-empty (checked by the HTTP layer).
struct EmbeddingInput {
    std::string embedding_type = "semantic";
    std::vector<float> vector;
    std::optional<std::string> embedding_source;
    std::optional<std::string> embedding_model;
};

struct VectorQuery {
    std::string embedding_type = "semantic";
    std::vector<float> query_vector;  // empty for search_similar
    int64_t limit = 10;               // 1..100
    std::optional<double> min_similarity;
    std::vector<int64_t> exclude_track_ids;
};

inline constexpr const char* kEmbeddingNotFound = "Embedding non trouvé";

class EmbeddingService {
  public:
    // Sets FAISS's threads from config.search_threads and opens every type's set in the
    // background (a type created later opens on first use): the server answers at once, vector
    // queries by the scan until an index is ready.
    // similarity (may be null): the computed sets "more like this" falls back on.
    explicit EmbeddingService(ServiceContext& ctx,
                              std::shared_ptr<Similarity> similarity = nullptr);
    ~EmbeddingService();

    JsonText list(int64_t track_id, const std::optional<std::string>& type);
    JsonText get(int64_t track_id, const std::string& type);
    // Creates or replaces the track's vector of that type. A dimension other than the type's:
    // 422 at ["body", "vector"].
    JsonText put(int64_t track_id, const EmbeddingInput& input, bool must_exist);
    void remove(int64_t track_id, const std::string& type);
    // Cosine similarity, best first. Answers from the type's index, or by an exact scan in
    // PostgreSQL while the index is not ready (the X-Sonique-Index answer header says which:
    // `index` gets "faiss" or "scan").
    JsonText search(const VectorQuery& query, std::string* index = nullptr);
    JsonText search_similar(int64_t track_id, VectorQuery query, bool exclude_self,
                            std::string* index = nullptr);
    // GET /api/tracks/{id}/similar ("more like this"): {track_id, source, items:[{track_id,
    // similarity_score, embedding_type, track_title, artist_name, album_title}]} from the
    // embedding type the track has that holds the most vectors, else from the first computed
    // provider that knows the track (sonic, tags: `source` names the set used; "none" with no
    // items when no set knows the track). distinct_artists keeps one track per artist.
    // 404 "Piste non trouvée".
    JsonText similar_tracks(int64_t track_id, int64_t limit, bool distinct_artists);
    JsonText statistics();
    // Blocks until every opened set is idle (tests).
    void wait_idle();

  private:
    JsonText answer(const std::vector<int64_t>& ids, const std::vector<double>& scores,
                    const std::string& type);
    std::pair<std::string, std::shared_ptr<search::VectorSet>> largest_set(
        int64_t track_id, const std::vector<std::pair<std::string, int>>& types);
    ServiceContext& ctx_;
    std::unique_ptr<search::ExternalSets> sets_;
    std::thread preload_;  // opens every type's set at start (search::ExternalSets::preload)
    std::shared_ptr<Similarity> similarity_;
};

}  // namespace sonique::services
