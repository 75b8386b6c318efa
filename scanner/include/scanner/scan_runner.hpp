#pragma once
// Running scans: one per library root at a time across processes (RootLocks), each with its
// session (sessions::), in the background (start) or in the calling thread (run_foreground),
// and cancelled together (cancel). The scanner sees neither the cache nor the event bus: what
// happens after a committed batch and how progress is published are the hooks the layer above
// gives.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/json.hpp"
#include "scanner/scanner.hpp"

namespace sonique::db {
class Pool;
}

namespace sonique::scanner {

struct ScanStart {
    std::string task_id;
    std::string directory;
    bool resumed = false;  // a scan was already running on that directory
};

// Which scan an event is about.
struct ScanTask {
    std::string task_id;
    int64_t session_id = 0;
    std::string directory;
};

// Given by the layer above; each is optional. All are called on the scan's thread.
struct RunnerHooks {
    // Before each scan: fills the request's settings (cover file names, split rules). May throw
    // DbError (the scan then fails).
    std::function<void(ScanRequest&)> configure;
    // After each committed batch and after the cleanup (cache invalidation). Must not throw.
    std::function<void()> committed;
    // A scan's progress, at most every 250 ms and at each step change. Must not throw.
    std::function<void(const ScanTask&, const ScanProgress&)> progress;
    // A session ended: status "completed", "cancelled" or "failed". Must not throw.
    std::function<void(const std::string& task_id, const std::string& status)> finished;
};

struct RunnerOptions {
    std::vector<std::string> library_roots;  // MUSIC_PATH as configured
    int threads = 0;                         // tag readers; 0: one per core
};

class ScanRunner {
  public:
    using ReaderFactory = std::function<std::unique_ptr<TagReader>()>;
    using ProgressFn = std::function<void(const ScanProgress&)>;

    // pool: for the scans' own connections (its connect options, no statement timeout) and for
    // the reads that start() makes.
    ScanRunner(db::Pool& pool, RunnerOptions options, RunnerHooks hooks);
    // Cancels background scans (between files) and waits for them.
    ~ScanRunner();
    ScanRunner(const ScanRunner&) = delete;
    ScanRunner& operator=(const ScanRunner&) = delete;

    // Starts a background scan of an already resolved directory, or returns the running scan
    // that covers it (of the directory or of its library root). A scan of another subfolder of
    // a root being scanned waits for it, in the background. Throws DbError when the database is
    // unavailable. Any thread.
    ScanStart start(const std::string& directory, bool cleanup_deleted);
    // Scans in the calling thread (CLI, watcher), after any running scan of the directory's root
    // (a cancelled wait returns a cancelled summary). Throws DbError when the scan itself fails.
    // Bad files are recorded, never thrown.
    ScanSummary run_foreground(const std::string& directory, bool cleanup_deleted,
                               const ProgressFn& on_progress, bool reread = false);
    // Asks every scan of this runner, background or foreground, to stop: each ends within a
    // fraction of a second as "cancelled" (files being read are abandoned, what was read is
    // written, nothing is removed). A scan still running half a second later (a statement
    // waiting on a lock, say) has its statement cancelled on the server and its batch rolled
    // back. Scans started afterwards are cancelled at once. Any thread; never blocks.
    void cancel() noexcept;

    // Tests: replace the TagLib reader. Before any scan.
    void set_reader_factory(ReaderFactory factory) { factory_ = std::move(factory); }

  private:
    // A scan's own connection (which holds its root and session locks) and its session.
    struct Session {
        std::unique_ptr<db::Connection> conn;
        int64_t id = 0;
        std::string task_id;
    };
    // A running scan's way to cancel its statement on the server; `running` turns false when
    // the scan returns, so that a late cancel never reaches the connection's next user.
    struct Canceller {
        std::function<void()> cancel;
        std::atomic<bool> running{true};
    };

    std::unique_ptr<db::Connection> scan_connection() const;
    Session open_session(std::unique_ptr<db::Connection> conn, const std::string& directory,
                         bool cleanup_deleted);
    std::string covering_task(const std::string& directory);
    // One scan on the session's connection, and its end.
    ScanSummary scan(Session& s, const std::string& directory, bool cleanup,
                     const ProgressFn& on_progress, bool reread);
    void background(Session s, std::string directory, bool cleanup, bool locked);
    void finish(Session& s, const std::string& status, const Json& result);

    db::Pool& pool_;
    RunnerOptions options_;
    RunnerHooks hooks_;
    ReaderFactory factory_;
    std::mutex start_mutex_;
    std::mutex threads_mutex_;
    std::vector<std::thread> threads_;
    std::atomic<bool> cancel_{false};
    std::mutex cancellers_mutex_;
    std::unordered_map<int64_t, std::shared_ptr<Canceller>> cancellers_;  // by session id
};

}  // namespace sonique::scanner
