#pragma once
// GET /api/search/typeahead answered from memory (docs/search.md, "The typeahead index"): every
// artist, album and track name loaded in one statement (folded by PostgreSQL), ranked in process
// exactly as typeahead()'s statement ranks it. Kept current by the names generation of migration
// 0023, checked in the background every check_every and at once after this process's writes;
// rebuilt off the request path while the old index answers. While there is no current index
// (loading, the database away, an API write not yet checked) answer() says so and the caller
// uses the SQL path.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/json_text.hpp"
#include "search/text_query.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique {
class ComputePool;
}

namespace sonique::search {

class TypeaheadSnapshot;
class WordChars;
struct VectorLists;

struct TypeaheadOptions {
    std::chrono::milliseconds check_every{2000};
    size_t cache_entries = 4096;  // answers kept per snapshot; 0: none
    // Where the checks and loads take their connections (a load holds one for seconds and may
    // wait on a table lock); null: the pool given. Query folds always use the pool given.
    db::Pool* background = nullptr;
    // false (SONIQUE_SEARCH_INDEX=off): nothing is loaded and no thread runs; every answer
    // comes from the SQL path.
    bool enabled = true;
    // The threads that run the index's queries, first come first served (docs/search.md,
    // "Compute threads"; 0: one per core), and how many queries may wait for them before the
    // next is refused (503). Typeahead answers and search plans have a set each.
    size_t compute_threads = 0;
    size_t compute_queue = 256;
};

class TypeaheadIndex {
  public:
    // Starts the index's thread, which loads the names at once (none when options.enabled is
    // false). Throws nothing (std::system_error if no thread can start).
    explicit TypeaheadIndex(db::Pool& pool, TypeaheadOptions options = {});
    // Stops the thread (waits for a load in progress).
    ~TypeaheadIndex();
    TypeaheadIndex(const TypeaheadIndex&) = delete;
    TypeaheadIndex& operator=(const TypeaheadIndex&) = delete;

    // The answer typeahead(conn, query, limit) would give, or nullopt while no current index
    // exists. A query that is not printable ASCII is folded by one statement (a connection of
    // the pool). Throws db::DbError (that statement). Any thread.
    std::optional<JsonText> answer(std::string_view query, int64_t limit);

    // The answer search_library(conn, request, vectors) would give (docs/search.md, "Search
    // from the index"), or nullopt while no current index exists (or a filter holds a NUL, which
    // PostgreSQL refuses). Reads the page's rows in one statement; a query or filter value that
    // is not ASCII is folded by one more. Throws db::DbError. Any thread.
    std::optional<JsonText> search(const SearchRequest& request, const VectorLists* vectors);

    // sonique_fold(query) computed in process (printable ASCII, once a load has checked the fold
    // against PostgreSQL's), else nullopt. Throws nothing (std::bad_alloc aside). Any thread.
    std::optional<std::string> fold(std::string_view query) const;

    // This process wrote to the library (an API write): answers come from the SQL path until
    // the background thread has compared the generation again (at once). Never throws; any
    // thread.
    void names_may_have_changed() noexcept;

    // Tests and the benchmark: waits until no check or load is queued or running; true when an
    // index is current then. Any thread.
    bool wait_idle(std::chrono::milliseconds timeout = std::chrono::seconds(60));

    struct Stats {
        int64_t generation;
        size_t entries;
        size_t bytes;
    };
    // The index in use, if any. Any thread.
    std::optional<Stats> stats() const;

  private:
    void run();
    db::Pool& loads() const { return options_.background ? *options_.background : pool_; }
    void check_or_load();
    void load();
    void warm(const TypeaheadSnapshot& snapshot) const;
    std::shared_ptr<const TypeaheadSnapshot> current() const;
    // The snapshot that may answer (none while unverified or before the first load) and
    // whether its ASCII fold matches PostgreSQL's. Any thread.
    struct Answering {
        std::shared_ptr<const TypeaheadSnapshot> snapshot;
        bool ascii_ok = false;
    };
    Answering answering() const;

    db::Pool& pool_;
    TypeaheadOptions options_;
    mutable std::mutex mutex_;  // guards everything below but the atomics
    std::condition_variable wake_, idle_;
    std::shared_ptr<const TypeaheadSnapshot> snapshot_;
    std::shared_ptr<const WordChars> words_;
    std::string pending_xids_;  // writers in flight when the snapshot was read ("{}" when none)
    bool ascii_fold_ok_ = false;
    bool stop_ = false, queued_ = true, busy_ = false;
    // The index answers only while verified_at_ equals writes_: a check or load records the
    // count of this process's writes it started after, so a write that comes later (even one
    // racing with that store) leaves the two different until the next check covers it.
    static constexpr uint64_t kNever = UINT64_MAX;
    std::atomic<uint64_t> verified_at_{kNever};
    std::atomic<uint64_t> writes_{0};
    bool verified() const noexcept { return verified_at_.load() == writes_.load(); }
    std::thread thread_;
    // Typeahead answers (~0.05 ms each) and search plans (~1 ms) apart, so that a burst of
    // searches never queues the typeahead behind it. Null while disabled.
    std::unique_ptr<ComputePool> answers_, plans_;
};

}  // namespace sonique::search
