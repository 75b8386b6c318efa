#pragma once
// Computed similarity (docs/search.md): the sources that say from the library itself which
// artists and tracks are alike, as a list of providers ("tags" here; the analysis layer's
// "sonic" sets add theirs with add_provider). Their rows are merged with the stored Last.fm
// rows by GET /api/artists/{id}/similar and the recommendations, and a track's first provider
// that knows it answers GET /api/tracks/{id}/similar when it has no external embedding. Every
// answer is an index look-up. One instance per process; any thread.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::search {
class TagSets;
}

namespace sonique::services {

struct SimilarHit {
    int64_t id = 0;
    double score = 0;  // in (0, 1]: cosine similarity, used as a weight
};

class SimilarityProvider {
  public:
    virtual ~SimilarityProvider() = default;
    // The `source` its rows carry ("tags", "sonic").
    virtual std::string source() const = 0;
    // Providers are asked for a track's neighbours in increasing order of this (the most
    // telling set first: sonic before tags).
    virtual int track_rank() const noexcept = 0;
    // The k artists / tracks most like id, best first, id left out. nullopt when the provider
    // cannot answer for id now (no index ready, or no vector of id). Throws db::DbError at most.
    virtual std::optional<std::vector<SimilarHit>> artists(int64_t artist_id, size_t k) = 0;
    virtual std::optional<std::vector<SimilarHit>> tracks(int64_t track_id, size_t k) = 0;
};

class Similarity {
  public:
    // Opens no index yet: the tags sets open on first use (from their files in
    // config.index_dir, else rebuilt in the background). Throws nothing.
    explicit Similarity(ServiceContext& ctx);
    ~Similarity();
    Similarity(const Similarity&) = delete;
    Similarity& operator=(const Similarity&) = delete;

    // The tags sets (opened on first use). Any thread.
    search::TagSets& tags();
    // Adds a computed source. Any thread.
    void add_provider(std::shared_ptr<SimilarityProvider> provider);
    // Every provider (tags included), by track_rank. Any thread.
    std::vector<std::shared_ptr<SimilarityProvider>> providers();

    // GET /api/artists/{id}/similar: the stored rows, and for each similar artist that none of
    // them names one computed row (the providers' best weight), best weight first. 404
    // "Artiste non trouvé".
    JsonText similar_artists(int64_t artist_id, int64_t limit);
    // The same merge for several artists in one statement (GraphQL Artist.similarArtists): per
    // artist id, a list of {id, name, weight, source} (id: the similar artist's). Throws
    // db::DbError. Any thread.
    std::map<int64_t, Json> similar_artists_of(const std::vector<int64_t>& artist_ids,
                                               int64_t limit);
    // GET /api/recommendations/artist/{name} (api-contract.md §13): the same merge for the
    // artist of that name (case and accents ignored); unknown: an empty list, source "none".
    JsonText recommendations(const std::string& artist_name, int64_t limit);
    // The first provider (by track_rank) that knows the track: {source, hits}; nullopt when none.
    struct TrackNeighbours {
        std::string source;
        std::vector<SimilarHit> hits;
    };
    std::optional<TrackNeighbours> similar_tracks(int64_t track_id, size_t k);
    // Waits until the opened sets are idle (tests). Any thread.
    void wait_idle();

  private:
    // The providers' artist rows for id, as (similar ids, weights, sources).
    struct Computed {
        std::vector<int64_t> ids;
        std::vector<double> weights;
        std::vector<std::string> sources;
    };
    Computed computed_artists(int64_t artist_id, size_t k);

    ServiceContext& ctx_;
    std::mutex mutex_;  // guards what follows
    std::unique_ptr<search::TagSets> tags_;
    std::vector<std::shared_ptr<SimilarityProvider>> providers_;
};

}  // namespace sonique::services
