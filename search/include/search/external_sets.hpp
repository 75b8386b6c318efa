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

namespace sonique::db {
class Pool;
}

namespace sonique::search {

struct ExternalSetsOptions {
    std::string dir;  // index files go here; empty: not saved
    size_t exact_limit = 100000;
    std::chrono::milliseconds check_every{2000};
};

class ExternalSets {
  public:
    // Opens nothing yet: a type's set opens on first use. Throws nothing.
    ExternalSets(db::Pool& pool, ExternalSetsOptions options);

    // The set of an embedding type whose vectors have `dimension` values; opened (from its file,
    // or rebuilt in the background) on first use, replaced when the type's dimension changed
    // (its vectors were all deleted, then others posted). Never null. Any thread.
    std::shared_ptr<VectorSet> get(const std::string& type, int dimension);
    // The sets opened so far, by type. Any thread.
    std::vector<std::pair<std::string, std::shared_ptr<VectorSet>>> opened() const;
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
