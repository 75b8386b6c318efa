#pragma once
// A named vector set (docs/search.md): one VectorIndex over (entity id -> vector) whose source of
// truth is PostgreSQL. It opens its saved file when that is sound, rebuilds from the database in
// the background when the file is missing, damaged or stale (the old index keeps answering), and
// takes the writes of its own process at once. A set whose index is not ready answers nullopt:
// the caller falls back (a missing index never fails a request). Other processes' changes reach
// it through a VectorNotifier (Redis, search/vector_sync.hpp) and, whatever happens to Redis,
// through a background comparison of generations with the database.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
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
    // Optional: the vectors of these ids that exist now (an id left out has none), and the
    // generation of that snapshot. Lets a change of another process be applied incrementally;
    // without it such a change reloads the set.
    std::function<std::pair<int64_t, VectorData>(const std::vector<int64_t>& ids)> fetch;
};

// A change to a set's rows, as told to the other processes.
struct VectorChange {
    std::string set;
    int64_t generation = -1;   // the set's generation after the change
    int64_t previous = -1;     // its generation just before (-1: unknown)
    std::vector<int64_t> ids;  // the ids written or removed (none when rebuilt)
    bool rebuilt = false;      // a rebuild from the database finished at `generation`
};

// How a set tells other processes of its changes and knows whether theirs reach it.
class VectorNotifier {
  public:
    virtual ~VectorNotifier() = default;
    // Never throws (a change that cannot be sent is caught up by generations). Any thread.
    virtual void publish(const VectorChange& change) = 0;
    // 0 while changes of other processes may not reach this one (Redis down or not
    // configured); else a number that changes each time the subscription is re-established
    // (changes sent in between may have been missed). Any thread.
    virtual uint64_t session() const = 0;
};

struct VectorSetOptions {
    std::string name;
    int dimension = 0;
    std::string file;             // where the index is saved; empty: kept in memory only
    size_t exact_limit = 100000;  // wins over index.exact_limit
    IndexParams index;            // how the approximate kind is built
    // The set compares its generation with the database's this often in the background (and a
    // query asks for it when it is older), so that writes of other processes are caught up
    // without Redis; 0: only when queried, at every query (tests).
    std::chrono::milliseconds check_every{2000};
    // How often while the notifier's changes reach the set (a safety net for a lost message).
    std::chrono::milliseconds live_check_every{30000};
    std::shared_ptr<VectorNotifier> notifier;  // null: this process alone
    // A query while the saved file loads in the background waits this long for it (a load
    // takes well under a second; the fallback, a scan in PostgreSQL, takes longer at 100,000).
    std::chrono::milliseconds wait_loading{1000};
};

struct VectorSetStatus {
    bool ready = false;     // an index answers
    bool building = false;  // a rebuild is queued or running
    bool exact = true;
    std::string kind = "exact";  // VectorIndex::kind() ("exact" while not ready)
    size_t size = 0;
    int64_t generation = -1;
    int rebuilds = 0;          // completed since the set was opened (reloads included)
    int remote_applied = 0;    // other processes' changes applied incrementally
    int catch_ups = 0;         // changes applied without a rebuild since then
    std::string last_problem;  // why the saved file was refused, or the last rebuild failed
};

class VectorSet {
  public:
    // Opens the saved file if sound (no database call; a file over 8 MB on the set's thread,
    // the set answering nullopt meanwhile), then queues a check of its generation, or a rebuild
    // when there is no sound file. Throws nothing; any thread.
    VectorSet(VectorSetOptions options, VectorSource source);
    // Stops the set's thread (waits for a rebuild in progress to finish).
    ~VectorSet();
    VectorSet(const VectorSet&) = delete;
    VectorSet& operator=(const VectorSet&) = delete;

    const std::string& name() const noexcept { return options_.name; }
    int dimension() const noexcept { return options_.dimension; }

    // The k best vectors for query; nullopt while no index is ready (after waiting up to
    // wait_loading for a saved file being loaded). Throws
    // std::invalid_argument for a wrong dimension. Any thread, concurrently with everything.
    std::optional<std::vector<VectorHit>> search(std::span<const float> query, size_t k);
    // Turns a query into a vector with the attachment of the index that answers (its model of the
    // space), then searches that index, under one lock: the model and the index always agree.
    // embed returning nullopt answers no hits. nullopt while no index is ready. Throws what embed
    // throws, std::invalid_argument for a wrong dimension. Any thread.
    using Embed = std::function<std::optional<std::vector<float>>(
        const std::shared_ptr<const std::string>& attachment)>;
    std::optional<std::vector<VectorHit>> search_with(const Embed& embed, size_t k);
    // The k vectors closest to id's own, id left out, best first: an index look-up. nullopt while
    // no index is ready or when id has no vector in it. Throws nothing but std::bad_alloc. Any
    // thread.
    std::optional<std::vector<VectorHit>> neighbours(int64_t id, size_t k);
    // A write this process made to the set's rows, at the generation it produced; `previous`
    // is the set's generation just before that write (read in its transaction; -1 unknown).
    // Told to the other processes through the notifier. Throws std::invalid_argument for a
    // wrong dimension. Any thread.
    void upsert(int64_t id, std::span<const float> vector, int64_t generation,
                int64_t previous = -1);
    void remove(int64_t id, int64_t generation, int64_t previous = -1);
    // A change another process made (from the notifier): applied on the set's thread, from the
    // database, incrementally when it follows the set's generation, else by a reload. Never
    // blocks; throws nothing. Any thread.
    void changed_elsewhere(VectorChange change);
    // The stored vector of id (normalised); nullopt when absent or while no index is ready.
    // Checks the database's generation as search() does. Any thread.
    std::optional<std::vector<float>> vector_of(int64_t id);
    // Queues a check of the database's generation now (after an analysis run, say). Any thread.
    void check();
    // Queues a rebuild from the database. Any thread.
    void rebuild();
    // Blocks until no check or rebuild is queued or running (tests, shutdown). Any thread.
    void wait_idle();
    VectorSetStatus status() const;

  private:
    void run();
    void load_file();
    void check_or_rebuild(bool force);
    void write(int64_t id, std::optional<std::vector<float>> vector, int64_t generation,
               int64_t previous);
    bool try_catch_up();
    void save(const VectorIndex& index, int64_t generation, const std::string& attachment);
    static void apply(VectorIndex& index, int64_t id, const std::optional<std::vector<float>>& v);
    bool apply_remote(const std::vector<VectorChange>& changes);
    void maybe_check();
    void publish(VectorChange change) const;

    VectorSetOptions options_;
    VectorSource source_;
    mutable std::shared_mutex index_mutex_;  // guards index_ (writes exclusive, searches shared)
    std::optional<VectorIndex> index_;
    std::shared_ptr<const std::string> attachment_;  // built with index_
    int64_t generation_ = -1;                        // of index_; -1 when unknown

    mutable std::mutex work_mutex_;  // guards what follows
    std::condition_variable work_cv_;
    bool want_check_ = false, want_rebuild_ = false, busy_ = false, stop_ = false;
    bool loading_ = false;              // the saved file is being read on the set's thread
    std::vector<VectorChange> remote_;  // other processes' changes not applied yet
    uint64_t seen_session_ = 0;         // the notifier's session when last looked at
    // This process's writes made while a rebuild is queued or running: replayed onto the new
    // index when it is swapped in (those newer than its snapshot), so that none is lost.
    struct PendingWrite {
        int64_t id;
        std::optional<std::vector<float>> vector;  // nullopt: removed
        int64_t generation;
    };
    std::vector<PendingWrite> pending_;
    int rebuilds_ = 0;
    int remote_applied_ = 0;
    int catch_ups_ = 0;
    std::string last_problem_;
    std::chrono::steady_clock::time_point last_check_{};
    std::thread thread_;
};

// Limits FAISS's OpenMP threads (process-wide), so that vector work never competes with the
// HTTP pool for every core. Call once at start, before any set is built. Throws nothing.
void set_vector_threads(int threads);

}  // namespace sonique::search
