#pragma once
// Library scans (api.md §10): starting them in the background or the foreground, one per
// directory at a time across processes, their sessions, errors and task status, and their
// progress events on the "progress" and "notifications" channels.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::db {
class Connection;
}
// Declared only: the scanner's headers reach libpq. Callers of run_foreground() and
// set_reader_factory() include scanner/scanner.hpp.
namespace sonique::scanner {
class TagReader;
struct ScanProgress;
struct ScanSummary;
}  // namespace sonique::scanner

namespace sonique::services {

std::string new_task_id();  // a random UUID-shaped id

struct ScanStart {
    std::string task_id;
    std::string directory;
    bool resumed = false;  // a scan was already running on that directory
};

class ScanService {
  public:
    using ReaderFactory = std::function<std::unique_ptr<scanner::TagReader>()>;
    using ProgressFn = std::function<void(const scanner::ScanProgress&)>;

    explicit ScanService(ServiceContext& ctx);
    // Cancels background scans (between files) and waits for them.
    ~ScanService();
    ScanService(const ScanService&) = delete;

    // The directory of POST /api/scan: default MUSIC_PATH, a relative one under it, inside the
    // library roots, not a system folder. Throws bad_request with the contract's detail strings.
    std::string resolve_directory(const std::optional<std::string>& directory) const;
    // Starts a background scan of an already resolved directory, or returns the running scan
    // that covers it (of the directory or of its library root). One scan per root runs at a
    // time, across processes: a scan of another subfolder of a root being scanned waits for it.
    // Throws DbError when the database is unavailable. Any thread.
    ScanStart start(const std::string& directory, bool cleanup_deleted);
    // Scans in the calling thread (CLI, watcher), after any running scan of the directory's root
    // (a cancelled wait returns a cancelled summary). Throws DbError when the scan itself fails.
    // Bad files are recorded, never thrown.
    scanner::ScanSummary run_foreground(const std::string& directory, bool cleanup_deleted,
                                        const ProgressFn& on_progress, bool reread = false);

    Json list_sessions();
    // Throws not_found("Scan session not found").
    Json get_session(int64_t id);
    void delete_session(int64_t id);
    Json session_errors(int64_t id, int64_t skip, int64_t limit);
    // {task_id, status, result}; throws not_found("Task not found").
    Json task_status(const std::string& task_id);

    // Asks every scan of this service, background or foreground, to stop: each ends within a
    // fraction of a second as "cancelled" (files being read are abandoned, what was read is
    // written, nothing is removed). A scan still running half a second later (a statement
    // waiting on a lock, say) has its statement cancelled on the server and its batch rolled
    // back. Scans started afterwards are cancelled at once. Any thread; never blocks.
    void cancel() noexcept;

    // Tests: replace the TagLib reader.
    void set_reader_factory(ReaderFactory factory) { factory_ = std::move(factory); }

  private:
    struct Locked {
        std::unique_ptr<db::Connection> conn;
        int64_t session_id = 0;
        std::string task_id;
    };
    // scan_locks.cpp: the root and session locks (see there).
    std::string root_of(const std::string& directory) const;
    // root_of(directory), then the roots inside it (a CLI folder outside the roots).
    std::vector<std::string> roots_locked_by(const std::string& directory) const;
    std::unique_ptr<db::Connection> scan_connection() const;
    bool try_lock_root(db::Connection& conn, const std::string& directory) const;
    // Polls until the root lock is taken (true) or the service is cancelled (false).
    bool wait_for_root(db::Connection& conn, const std::string& directory) const;
    Locked open_session(std::unique_ptr<db::Connection> conn, const std::string& directory,
                        bool cleanup_deleted);
    std::string covering_task(const std::string& directory);
    // Marks failed ("interrupted") the running sessions whose process is gone, but `except`.
    // Scans call it once they hold their root, the session and status reads before answering.
    void reap_stale_sessions(db::Connection& conn, int64_t except);

    scanner::ScanSummary scan(Locked& s, const std::string& directory, bool cleanup,
                              const ProgressFn& on_progress, bool reread = false);
    void background(Locked s, std::string directory, bool cleanup, bool locked);
    void finish(Locked& s, const std::string& status, const Json& result);
    void publish(const Json& event, const char* channel);

    ServiceContext& ctx_;
    ReaderFactory factory_;
    std::mutex start_mutex_;
    std::mutex threads_mutex_;
    std::vector<std::thread> threads_;
    std::atomic<bool> cancel_{false};
    // A running scan's way to cancel its statement on the server; `running` turns false when
    // the scan returns, so that a late cancel never reaches the connection's next user.
    struct Canceller {
        std::function<void()> cancel;
        std::atomic<bool> running{true};
    };
    std::mutex cancellers_mutex_;
    std::unordered_map<int64_t, std::shared_ptr<Canceller>> cancellers_;  // by session id
};

}  // namespace sonique::services
