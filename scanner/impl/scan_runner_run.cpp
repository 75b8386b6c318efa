// ScanRunner: one scan on its session's connection (the request, cancellation of its statement,
// progress) and the session's end.
#include <algorithm>
#include <filesystem>
#include <thread>

#include "core/log.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "root_locks.hpp"
#include "scanner/scan_runner.hpp"
#include "scanner/session_store.hpp"

namespace sonique::scanner {
namespace {

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
