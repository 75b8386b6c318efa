#pragma once
// The *external* vector sets: one per embedding_type of track_embeddings (vectors that other
// programs post through api-contract.md §13), keyed by track id (docs/search.md).
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "search/vector_set.hpp"
#include "search/vector_sync.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique::search {

struct ExternalSetsOptions {
    std::string dir;  // index files go here; empty: not saved
    size_t exact_limit = 100000;
    IndexParams index;  // how the approximate kind is built
    std::chrono::milliseconds check_every{2000};
    std::chrono::milliseconds live_check_every{30000};
    // Tells other processes of the sets' changes and hands theirs over; null: this process alone.
    std::shared_ptr<VectorSync> sync;
    // Where the sets' loads, fetches and generation checks take their connections (a load may
    // wait on a table lock for long); null: the pool given to the constructor.
    db::Pool* background = nullptr;
};

class ExternalSets {
  public:
    // Opens nothing yet: a type's set opens on first use. Throws nothing.
    ExternalSets(db::Pool& pool, ExternalSetsOptions options);

    // The set of an embedding type whose vectors have `dimension` values; opened (from its file,
    // or rebuilt in the background) on first use, replaced when the type's dimension changed
    // (its vectors were all deleted, then others posted). Never null. Any thread.
    std::shared_ptr<VectorSet> get(const std::string& type, int dimension);
    // Opens the set of every type the database holds (their saved files load in the
    // background), so that they are ready before their first query. Throws db::DbError. Any
    // thread.
    void preload();
    // The sets opened so far, by type. Any thread.
    std::vector<std::pair<std::string, std::shared_ptr<VectorSet>>> opened() const;
    // A vector of this type removed by this process (at `generation`, from `previous`): applied
    // to the type's set if opened here, and told to the other processes either way. Any thread.
    void removed(const std::string& type, int64_t id, int64_t generation, int64_t previous);
    // The file a type's index is saved in ("" when not saved).
    std::string file_of(const std::string& type) const;

  private:
    db::Pool& pool_;
    ExternalSetsOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<VectorSet>> sets_;
};

// Parses PostgreSQL's text form of a real[] ("{1,2.5,-3e-05}") into out (appended). Returns
// false on anything else. Throws nothing; any thread.
bool parse_float_array(std::string_view text, std::vector<float>& out);

}  // namespace sonique::search
