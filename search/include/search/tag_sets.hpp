#pragma once
// The *tags* vector sets (docs/search.md): one per kind of entity (artists, tracks), each a
// VectorSet whose vectors and model (search/tag_model.hpp) are computed from the library's
// genres, genre and mood tags and the Last.fm tags of artists. Both are rebuilt in the
// background whenever the tags generation of migration 0018 moves (scans, API writes, deletions,
// another process), the old index answering meanwhile.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "search/vector_set.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique::search {

class TagModel;

enum class TagKind { kArtist, kTrack };

struct TagSetsOptions {
    std::string dir;  // index files go here; empty: not saved
    size_t exact_limit = 100000;
    std::chrono::milliseconds check_every{2000};
    int dimension = 64;  // of the reduced space
    // Where the sets' loads and generation checks take their connections (a load may wait on a
    // table lock for long); null: the pool given to the constructor.
    db::Pool* background = nullptr;
};

// Below this cosine a query's or an entity's neighbour is not similar (docs/search.md).
inline constexpr float kTagMinScore = 0.15f;

class TagSets {
  public:
    // Opens both sets (from their files, or rebuilt in the background). Throws nothing.
    TagSets(db::Pool& pool, TagSetsOptions options);
    ~TagSets();
    TagSets(const TagSets&) = delete;
    TagSets& operator=(const TagSets&) = delete;

    VectorSet& set(TagKind kind);
    // The entities whose tags best match a free-text query (folded: fold()), best first, at most
    // k, cosine >= min_score; no hits when no term of the query is known. nullopt while the set
    // has no index. Any thread.
    std::optional<std::vector<VectorHit>> search(TagKind kind, std::string_view folded, size_t k,
                                                 float min_score = kTagMinScore);
    // The entities closest to id's tags (id left out), cosine >= min_score. nullopt while the set
    // has no index or id no tags. Any thread.
    std::optional<std::vector<VectorHit>> similar(TagKind kind, int64_t id, size_t k,
                                                  float min_score = kTagMinScore);
    // text folded as the tags were (sonique_fold: lower case, no accents): one statement.
    // Throws db::DbError. Any thread.
    std::string fold(std::string_view text);
    // Queues a rebuild of both sets / waits until both are idle (tests, shutdown). Any thread.
    void rebuild();
    void wait_idle();

  private:
    std::shared_ptr<const TagModel> model(const std::shared_ptr<const std::string>& attachment);

    db::Pool& pool_;
    std::unique_ptr<VectorSet> artists_, tracks_;
    std::mutex cache_mutex_;  // guards the parsed models below
    struct Cached {
        std::shared_ptr<const std::string> attachment;
        std::shared_ptr<const TagModel> model;
    };
    std::vector<Cached> cache_;
};

}  // namespace sonique::search
