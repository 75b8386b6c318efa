#pragma once
// A named vector set (docs/search.md): one VectorIndex over (entity id -> vector) whose source of
// truth is PostgreSQL. It opens its saved file when that is sound, rebuilds from the database in
// the background when the file is missing, damaged or stale (the old index keeps answering), and
// takes the writes of its own process at once. A set whose index is not ready answers nullopt:
// the caller falls back (a missing index never fails a request).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "search/vector_index.hpp"

namespace sonique::search {

// What changed in a set's rows since a generation (VectorSource::catch_up).
struct VectorChanges {
    int64_t generation = -1;   // the rows' generation after the changes
    VectorData upserts;        // new and changed vectors
    size_t expected_size = 0;  // how many vectors the set holds once they are applied
};

// How a set reads PostgreSQL. All are called on the set's own thread.
struct VectorSource {
    // Every vector of the set and the generation they are at, in one snapshot.
    std::function<std::pair<int64_t, VectorData>()> load;
    // The set's current generation (a cheap statement).
    std::function<int64_t()> generation;
    // Optional: the rows written since `since`, so that a set follows new and changed rows
    // without a rebuild. nullopt asks for a rebuild (the source cannot say, or the vectors'
    // scale changed). Removals are seen by expected_size: a set whose size then differs
    // rebuilds.
    std::function<std::optional<VectorChanges>(int64_t since)> catch_up;
};

struct VectorSetOptions {
    std::string name;
    int dimension = 0;
    std::string file;  // where the index is saved; empty: kept in memory only
    size_t exact_limit = 100000;
    // A query checks the database's generation at most this often (another process may write).
    std::chrono::milliseconds check_every{2000};
};

struct VectorSetStatus {
    bool ready = false;     // an index answers
    bool building = false;  // a rebuild is queued or running
    bool exact = true;
    size_t size = 0;
    int64_t generation = -1;
    int rebuilds = 0;          // completed since the set was opened
    int catch_ups = 0;         // changes applied without a rebuild since then
    std::string last_problem;  // why the saved file was refused, or the last rebuild failed
};

class VectorSet {
  public:
    // Opens the saved file if sound (no database call), then queues a check of its generation,
    // or a rebuild when there is no sound file. Throws nothing; any thread.
    VectorSet(VectorSetOptions options, VectorSource source);
    // Stops the set's thread (waits for a rebuild in progress to finish).
    ~VectorSet();
    VectorSet(const VectorSet&) = delete;
    VectorSet& operator=(const VectorSet&) = delete;

    const std::string& name() const noexcept { return options_.name; }
    int dimension() const noexcept { return options_.dimension; }

    // The k best vectors for query; nullopt while no index is ready. Throws
    // std::invalid_argument for a wrong dimension. Any thread, concurrently with everything.
    std::optional<std::vector<VectorHit>> search(std::span<const float> query, size_t k);
    // The stored vector of id (normalised); nullopt when absent or while no index is ready.
    // Checks the database's generation as search() does. Any thread.
    std::optional<std::vector<float>> vector_of(int64_t id);
    // Queues a check of the database's generation now (after an analysis run, say). Any thread.
    void check();
    // A write this process made to the set's rows, at the generation it produced. Any thread.
    void upsert(int64_t id, std::span<const float> vector, int64_t generation);
    void remove(int64_t id, int64_t generation);
    // Queues a rebuild from the database. Any thread.
    void rebuild();
    // Blocks until no check or rebuild is queued or running (tests, shutdown). Any thread.
    void wait_idle();
    VectorSetStatus status() const;

  private:
    void run();
    void check_or_rebuild(bool force);
    bool try_catch_up();
    void save(const VectorIndex& index, int64_t generation);
    void write(int64_t id, std::optional<std::vector<float>> vector, int64_t generation);
    static void apply(VectorIndex& index, int64_t id, const std::optional<std::vector<float>>& v);
    void maybe_check();

    VectorSetOptions options_;
    VectorSource source_;
    mutable std::shared_mutex index_mutex_;  // guards index_ (writes exclusive, searches shared)
    std::optional<VectorIndex> index_;
    int64_t generation_ = -1;  // of index_; -1 when unknown

    mutable std::mutex work_mutex_;  // guards what follows
    std::condition_variable work_cv_;
    bool want_check_ = false, want_rebuild_ = false, busy_ = false, stop_ = false;
    // This process's writes made while a rebuild is queued or running: replayed onto the new
    // index when it is swapped in (those newer than its snapshot), so that none is lost.
    struct PendingWrite {
        int64_t id;
        std::optional<std::vector<float>> vector;  // nullopt: removed
        int64_t generation;
    };
    std::vector<PendingWrite> pending_;
    int rebuilds_ = 0;
    int catch_ups_ = 0;
    std::string last_problem_;
    std::chrono::steady_clock::time_point last_check_{};
    std::thread thread_;
};

// Limits FAISS's OpenMP threads (process-wide), so that vector work never competes with the
// HTTP pool for every core. Call once at start, before any set is built. Throws nothing.
void set_vector_threads(int threads);

}  // namespace sonique::search
