// ScanService: running the pipeline, progress events and the session's final state.
#include <filesystem>
#include <thread>

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "cache/pubsub.hpp"
#include "core/log.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"
#include "services/settings.hpp"
#include "settings_files.hpp"

namespace sonique::services {
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

int percent(int64_t current, int64_t total) {
    if (total <= 0) return 0;
    return static_cast<int>(std::min<int64_t>(100, current * 100 / total));
}

}  // namespace

scanner::ScanSummary ScanService::scan(Locked& s, const std::string& directory, bool cleanup,
                                       const ProgressFn& on_progress, bool reread) {
    scanner::ScanRequest req;
    req.reread = reread;
    req.directories = {directory};
    req.roots = canonical_roots(ctx_.config.music_roots, directory);
    req.library_roots = ctx_.config.music_roots;
    req.session_id = s.session_id;
    req.cleanup_deleted = cleanup;
    unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    req.threads = ctx_.config.scan_threads > 0 ? ctx_.config.scan_threads : static_cast<int>(cores);
    ScanSettings settings = scan_settings(ctx_.pool);
    req.covers.album_cover_files = std::move(settings.album_cover_files);
    req.covers.artist_image_files = std::move(settings.artist_image_files);
    req.covers.roots = req.roots;
    if (settings.artist_separators) req.split.separators = std::move(*settings.artist_separators);
    if (settings.artist_split_exceptions)
        req.split.exceptions = std::move(*settings.artist_split_exceptions);
    scanner::ScanHooks hooks;
    std::string task_id = s.task_id;
    int64_t session_id = s.session_id;
    hooks.progress = [&, task_id, session_id](const scanner::ScanProgress& p) {
        publish(Json{{"type", "progress"},
                     {"task_id", task_id},
                     {"session_id", session_id},
                     {"directory", directory},
                     {"step", p.step},
                     {"current", p.current},
                     {"total", p.total},
                     {"percent", p.step == "done" ? 100 : percent(p.current, p.total)}},
                kProgressChannel);
        if (on_progress) on_progress(p);
    };
    hooks.committed = [this] {
        namespace ns = cache::ns;
        ctx_.cache.invalidate(
            {ns::kArtists, ns::kAlbums, ns::kTracks, ns::kCovers, ns::kGenres, ns::kLibrary});
    };
    auto reader = factory_ ? factory_() : scanner::make_taglib_reader(req.split);
    auto canceller = std::make_shared<Canceller>();
    canceller->cancel = s.conn->canceller();
    {
        std::lock_guard lock(cancellers_mutex_);
        cancellers_[session_id] = canceller;
    }
    struct Unregister {
        ScanService& self;
        int64_t id;
        Canceller& canceller;
        ~Unregister() {
            canceller.running = false;
            std::lock_guard lock(self.cancellers_mutex_);
            self.cancellers_.erase(id);
        }
    } unregister{*this, session_id, *canceller};
    try {
        return scanner::run_scan(*s.conn, *reader, req, hooks, cancel_);
    } catch (const db::DbError& e) {
        // The statement cancel() cancelled (query_canceled): its batch was rolled back.
        if (!cancel_ || e.sqlstate() != "57014") throw;
        scanner::ScanSummary summary;
        summary.cancelled = true;
        return summary;
    }
}

void ScanService::finish(Locked& s, const std::string& status, const Json& result) {
    const char* sql =
        "UPDATE scan_sessions SET status = $2, result = $3::jsonb, finished_at = now(), "
        // Batches update the counts as they commit; a completed scan with nothing to write has
        // none. An interrupted scan keeps what its batches recorded (a statement cancelled by
        // cancel() leaves a summary without counts).
        "updated_at = now(), total_files = CASE WHEN $2 = 'completed' THEN "
        "($3::jsonb->>'found')::bigint ELSE total_files END, "
        "processed_files = CASE WHEN $2 = 'completed' THEN ($3::jsonb->>'found')::bigint "
        "ELSE processed_files END WHERE id = $1";
    db::Params params(s.session_id, status, result.dump());
    try {
        s.conn->exec(sql, params);
        s.conn->exec("SELECT pg_advisory_unlock_all()");
    } catch (const std::exception& e) {
        // The scan's own connection broke: record the end through the pool.
        try {
            ctx_.pool.acquire()->exec(sql, params);
        } catch (const std::exception& e2) {
            log::error("scan: could not record the end of session ", s.session_id, ": ", e2.what());
        }
    }
    s.conn.reset();  // closing the connection releases the directory lock in any case
    publish(Json{{"type", "library_update"}, {"task_id", s.task_id}, {"status", status}},
            kNotificationsChannel);
}

void ScanService::publish(const Json& event, const char* channel) {
    ctx_.events.publish(channel, dump_json(event));
}

}  // namespace sonique::services
