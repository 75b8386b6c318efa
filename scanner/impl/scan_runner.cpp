// ScanRunner: starting, joining and cancelling scans, running one on its session's connection,
// and the session's end.
#include "scanner/scan_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "core/log.hpp"
#include "core/paths.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "root_locks.hpp"
#include "scanner/session_store.hpp"

namespace sonique::scanner {
namespace {

// How long cancel() lets scans stop by themselves before it cancels their statements.
constexpr std::chrono::milliseconds kCancelGrace{500};

std::string new_task_id() {  // a random UUID-shaped id
    std::random_device rd;
    std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
    const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) id += '-';
        id += hex[gen() % 16];
    }
    return id;
}

Json summary_json(const ScanSummary& s) {
    return Json{{"found", s.found},    {"unchanged", s.unchanged},
                {"added", s.added},    {"updated", s.updated},
                {"moved", s.moved},    {"removed", s.removed},
                {"errors", s.errors},  {"failed_unchanged", s.failed_unchanged},
                {"seconds", s.seconds}};
}

std::vector<std::string> canonical_roots(const std::vector<std::string>& roots,
                                         const std::string& directory) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& r : roots) {
        auto c = std::filesystem::canonical(r, ec);
        if (!ec) out.push_back(c.string());
    }
    auto d = std::filesystem::canonical(directory, ec);
    if (!ec) out.push_back(d.string());  // a CLI folder outside MUSIC_PATH is its own root
    return out;
}

}  // namespace

ScanRunner::ScanRunner(db::Pool& pool, RunnerOptions options, RunnerHooks hooks)
    : pool_(pool), options_(std::move(options)), hooks_(std::move(hooks)) {}

void ScanRunner::cancel() noexcept {
    cancel_ = true;
    std::vector<std::shared_ptr<Canceller>> running;
    {
        std::lock_guard lock(cancellers_mutex_);
        for (const auto& [session, canceller] : cancellers_)
            running.push_back(canceller);
    }
    if (running.empty()) return;
    try {
        // Scans stop by themselves between files and batches, writing what was read; only a
        // statement that keeps one running is cancelled. A cancel request opens a connection to
        // the server: never on the caller's thread.
        std::thread([running = std::move(running)] {
            std::this_thread::sleep_for(kCancelGrace);
            for (const auto& canceller : running)
                if (canceller->running) canceller->cancel();
        }).detach();
    } catch (const std::exception& e) {
        log::warn("scan: could not cancel running statements: ", e.what());
    }
}

ScanRunner::~ScanRunner() {
    cancel();
    std::lock_guard lock(threads_mutex_);
    for (auto& t : threads_)
        t.join();
}

ScanStart ScanRunner::start(const std::string& directory, bool cleanup_deleted) {
    std::lock_guard lock(start_mutex_);
    auto conn = scan_connection();
    bool locked = RootLocks(options_.library_roots).try_lock(*conn, directory);
    if (!locked) {
        // The running scan covers this directory: join it. Else it is of another subfolder of
        // the root: this scan waits for it, in the background.
        std::string running = covering_task(directory);
        if (!running.empty()) return ScanStart{running, directory, true};
    }
    Session s = open_session(std::move(conn), directory, cleanup_deleted);
    ScanStart out{s.task_id, directory, false};
    std::lock_guard tl(threads_mutex_);
    threads_.emplace_back([this, st = std::move(s), directory, cleanup_deleted, locked]() mutable {
        background(std::move(st), directory, cleanup_deleted, locked);
    });
    return out;
}

ScanSummary ScanRunner::run_foreground(const std::string& directory, bool cleanup_deleted,
                                       const ProgressFn& on_progress, bool reread) {
    auto conn = scan_connection();
    if (!RootLocks(options_.library_roots).wait(*conn, directory, cancel_)) {
        ScanSummary none;
        none.cancelled = true;
        return none;
    }
    Session s = open_session(std::move(conn), directory, cleanup_deleted);
    try {
        sessions::reap_stale(*s.conn, s.id);
        auto summary = scan(s, directory, cleanup_deleted, on_progress, reread);
        finish(s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        return summary;
    } catch (const std::exception& e) {
        finish(s, "failed", Json{{"error", e.what()}});
        throw;
    }
}

void ScanRunner::background(Session s, std::string directory, bool cleanup, bool locked) {
    try {
        if (!locked && !RootLocks(options_.library_roots).wait(*s.conn, directory, cancel_)) {
            finish(s, "cancelled", Json{{"error", "cancelled before it started"}});
            return;
        }
        // Once the root is held: a session left running by a process that is gone.
        sessions::reap_stale(*s.conn, s.id);
        auto summary = scan(s, directory, cleanup, nullptr, false);
        finish(s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        log::info("scan of ", directory, " finished: ", summary_json(summary).dump());
    } catch (const std::exception& e) {
        log::error("scan of ", directory, " failed: ", e.what());
        finish(s, "failed", Json{{"error", e.what()}});
    }
}

std::unique_ptr<db::Connection> ScanRunner::scan_connection() const {
    db::ConnectOptions o = pool_.options().connect;
    o.statement_timeout_ms = 0;  // batches of a big scan may take long; the locks live here
    return std::make_unique<db::Connection>(o);
}

ScanRunner::Session ScanRunner::open_session(std::unique_ptr<db::Connection> conn,
                                             const std::string& directory, bool cleanup_deleted) {
    Session s;
    s.conn = std::move(conn);
    s.task_id = new_task_id();
    s.id = sessions::open(*s.conn, directory, s.task_id, cleanup_deleted);
    return s;
}

std::string ScanRunner::covering_task(const std::string& directory) {
    // The running scan whose directory holds this one (its root's, or its own). None when the
    // root's running scan is of another subfolder; its row may still be on its way, as the lock
    // is taken before the row is written.
    auto conn = pool_.acquire();
    sessions::reap_stale(*conn, 0);  // never join the session of a process that is gone
    std::string dir = normal_path(directory).string();
    std::string root = RootLocks(options_.library_roots).root_of(directory);
    for (int attempt = 0; attempt < 20; ++attempt) {
        if (auto task = sessions::covering_task(*conn, dir, root)) return *task;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
}

ScanSummary ScanRunner::scan(Session& s, const std::string& directory, bool cleanup,
                             const ProgressFn& on_progress, bool reread) {
    ScanRequest req;
    req.reread = reread;
    req.directories = {directory};
    req.roots = canonical_roots(options_.library_roots, directory);
    req.library_roots = options_.library_roots;
    req.session_id = s.id;
    req.cleanup_deleted = cleanup;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    req.threads = options_.threads > 0 ? options_.threads : static_cast<int>(cores);
    req.covers.roots = req.roots;
    if (hooks_.configure) hooks_.configure(req);
    ScanHooks hooks;
    ScanTask task{s.task_id, s.id, directory};
    hooks.progress = [&](const ScanProgress& p) {
        if (hooks_.progress) hooks_.progress(task, p);
        if (on_progress) on_progress(p);
    };
    hooks.committed = hooks_.committed;
    auto reader = factory_ ? factory_() : make_taglib_reader(req.split);
    auto canceller = std::make_shared<Canceller>();
    canceller->cancel = s.conn->canceller();
    {
        std::lock_guard lock(cancellers_mutex_);
        cancellers_[s.id] = canceller;
    }
    struct Unregister {
        ScanRunner& self;
        int64_t id;
        Canceller& canceller;
        ~Unregister() {
            canceller.running = false;
            std::lock_guard lock(self.cancellers_mutex_);
            self.cancellers_.erase(id);
        }
    } unregister{*this, s.id, *canceller};
    try {
        return run_scan(*s.conn, *reader, req, hooks, cancel_);
    } catch (const db::DbError& e) {
        // The statement cancel() cancelled (query_canceled): its batch was rolled back.
        if (!cancel_ || e.sqlstate() != "57014") throw;
        ScanSummary summary;
        summary.cancelled = true;
        return summary;
    }
}

void ScanRunner::finish(Session& s, const std::string& status, const Json& result) {
    std::string text = result.dump();
    try {
        sessions::finish(*s.conn, s.id, status, text);
        RootLocks::release_all(*s.conn);
    } catch (const std::exception& e) {
        // The scan's own connection broke: record the end through the pool.
        try {
            sessions::finish(*pool_.acquire(), s.id, status, text);
        } catch (const std::exception& e2) {
            log::error("scan: could not record the end of session ", s.id, ": ", e2.what());
        }
    }
    s.conn.reset();  // closing the connection releases the directory lock in any case
    if (hooks_.finished) hooks_.finished(s.task_id, status);
}

}  // namespace sonique::scanner
