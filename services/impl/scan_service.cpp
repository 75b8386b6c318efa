#include <random>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"

namespace sonique::services {
namespace {

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

std::optional<ScanService::Locked> ScanService::lock_and_open(const std::string& directory,
                                                              bool cleanup_deleted) {
    db::ConnectOptions o = ctx_.pool.options().connect;
    o.statement_timeout_ms = 0;  // batches of a big scan may take long; the lock lives here
    Locked s;
    s.conn = std::make_unique<db::Connection>(o);
    auto got = s.conn->exec("SELECT pg_try_advisory_lock(hashtext($1))",
                            db::Params("sonique-scan:" + directory));
    if (!got.boolean(0, 0)) return std::nullopt;
    // Sessions left "running" by a killed process: we hold the lock, so nobody runs them.
    s.conn->exec(
        "UPDATE scan_sessions SET status = 'failed', finished_at = now(), updated_at = now(), "
        "result = '{\"error\": \"interrupted\"}' WHERE directory = $1 AND status = 'running'",
        db::Params(directory));
    s.task_id = new_task_id();
    auto r = s.conn->exec(
        "INSERT INTO scan_sessions (directory, task_id, cleanup_deleted) VALUES ($1, $2, $3) "
        "RETURNING id",
        db::Params(directory, s.task_id, cleanup_deleted));
    s.session_id = r.int64(0, 0);
    return s;
}

std::string ScanService::running_task(const std::string& directory) {
    auto conn = ctx_.pool.acquire();
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto r = conn->exec(
            "SELECT task_id FROM scan_sessions WHERE directory = $1 AND status = 'running' "
            "ORDER BY id DESC LIMIT 1",
            db::Params(directory));
        if (!r.empty()) return r.str(0, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // its row is being created
    }
    auto r = conn->exec(
        "SELECT task_id FROM scan_sessions WHERE directory = $1 ORDER BY id DESC LIMIT 1",
        db::Params(directory));
    return r.empty() ? std::string() : r.str(0, 0);
}

ScanStart ScanService::start(const std::string& directory, bool cleanup_deleted) {
    std::lock_guard lock(start_mutex_);
    auto s = lock_and_open(directory, cleanup_deleted);
    if (!s) return ScanStart{running_task(directory), directory, true};
    ScanStart out{s->task_id, directory, false};
    std::lock_guard tl(threads_mutex_);
    threads_.emplace_back([this, st = std::move(*s), directory, cleanup_deleted]() mutable {
        background(std::move(st), directory, cleanup_deleted);
    });
    return out;
}

scanner::ScanSummary ScanService::run_foreground(const std::string& directory, bool cleanup_deleted,
                                                 const ProgressFn& on_progress, bool reread) {
    auto s = lock_and_open(directory, cleanup_deleted);
    if (!s) throw conflict("a scan is already running on " + directory);
    try {
        auto summary = scan(*s, directory, cleanup_deleted, on_progress, reread);
        finish(*s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        return summary;
    } catch (const std::exception& e) {
        finish(*s, "failed", Json{{"error", e.what()}});
        throw;
    }
}

void ScanService::background(Locked s, std::string directory, bool cleanup) {
    try {
        auto summary = scan(s, directory, cleanup, nullptr);
        finish(s, summary.cancelled ? "cancelled" : "completed", summary_json(summary));
        log::info("scan of ", directory, " finished: ", summary_json(summary).dump());
    } catch (const std::exception& e) {
        log::error("scan of ", directory, " failed: ", e.what());
        finish(s, "failed", Json{{"error", e.what()}});
    }
}

}  // namespace sonique::services
