#include <random>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"

namespace sonique::services {
std::string new_task_id() {
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

namespace {

Json summary_json(const scanner::ScanSummary& s) {
    return Json{{"found", s.found},    {"unchanged", s.unchanged},
                {"added", s.added},    {"updated", s.updated},
                {"moved", s.moved},    {"removed", s.removed},
                {"errors", s.errors},  {"failed_unchanged", s.failed_unchanged},
                {"seconds", s.seconds}};
}

// How long cancel() lets scans stop by themselves before it cancels their statements.
constexpr std::chrono::milliseconds kCancelGrace{500};

}  // namespace

ScanService::ScanService(ServiceContext& ctx) : ctx_(ctx) {}

void ScanService::cancel() noexcept {
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

ScanService::~ScanService() {
    cancel();
    std::lock_guard lock(threads_mutex_);
    for (auto& t : threads_)
        t.join();
}

ScanStart ScanService::start(const std::string& directory, bool cleanup_deleted) {
    std::lock_guard lock(start_mutex_);
    auto conn = scan_connection();
    bool locked = try_lock_root(*conn, directory);
    if (!locked) {
        // The running scan covers this directory: join it. Else it is of another subfolder of
        // the root: this scan waits for it, in the background.
        std::string running = covering_task(directory);
        if (!running.empty()) return ScanStart{running, directory, true};
    }
    Locked s = open_session(std::move(conn), directory, cleanup_deleted);
    ScanStart out{s.task_id, directory, false};
    std::lock_guard tl(threads_mutex_);
    threads_.emplace_back([this, st = std::move(s), directory, cleanup_deleted, locked]() mutable {
        background(std::move(st), directory, cleanup_deleted, locked);
    });
    return out;
}

scanner::ScanSummary ScanService::run_foreground(const std::string& directory, bool cleanup_deleted,
                                                 const ProgressFn& on_progress, bool reread) {
    auto conn = scan_connection();
    if (!wait_for_root(*conn, directory)) {
        scanner::ScanSummary none;
        none.cancelled = true;
        return none;
    }
    Locked s = open_session(std::move(conn), directory, cleanup_deleted);
    try {
        reap_stale_sessions(*s.conn, s.session_id);
        auto summary = scan(s, directory, cleanup_deleted, on_progress, reread);
        finish(s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        return summary;
    } catch (const std::exception& e) {
        finish(s, "failed", Json{{"error", e.what()}});
        throw;
    }
}

void ScanService::background(Locked s, std::string directory, bool cleanup, bool locked) {
    try {
        if (!locked && !wait_for_root(*s.conn, directory)) {
            finish(s, "cancelled", Json{{"error", "cancelled before it started"}});
            return;
        }
        reap_stale_sessions(*s.conn, s.session_id);
        auto summary = scan(s, directory, cleanup, nullptr);
        finish(s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        log::info("scan of ", directory, " finished: ", summary_json(summary).dump());
    } catch (const std::exception& e) {
        log::error("scan of ", directory, " failed: ", e.what());
        finish(s, "failed", Json{{"error", e.what()}});
    }
}

}  // namespace sonique::services
