// ScanService: the scanner's runner, given the settings, the cache and the event bus; and the
// session reads.
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "cache/pubsub.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "db/pool.hpp"
#include "scanner/scan_runner.hpp"
#include "scanner/session_store.hpp"
#include "services/scan.hpp"
#include "services/subsonic_playlists.hpp"
#include "settings_files.hpp"

namespace sonique::services {
namespace {

int percent(int64_t current, int64_t total) {
    if (total <= 0) return 0;
    return static_cast<int>(std::min<int64_t>(100, current * 100 / total));
}

scanner::RunnerHooks hooks_for(ServiceContext& ctx) {
    scanner::RunnerHooks hooks;
    hooks.configure = [&ctx](scanner::ScanRequest& req) {
        ScanSettings settings = scan_settings(ctx.pool);
        req.covers.album_cover_files = std::move(settings.album_cover_files);
        req.covers.artist_image_files = std::move(settings.artist_image_files);
        if (settings.artist_separators)
            req.split.separators = std::move(*settings.artist_separators);
        if (settings.artist_split_exceptions)
            req.split.exceptions = std::move(*settings.artist_split_exceptions);
    };
    hooks.committed = [&ctx] {
        namespace ns = cache::ns;
        ctx.cache.invalidate(
            {ns::kArtists, ns::kAlbums, ns::kTracks, ns::kCovers, ns::kGenres, ns::kLibrary});
    };
    hooks.progress = [&ctx](const scanner::ScanTask& task, const scanner::ScanProgress& p) {
        Json event{{"type", "progress"},
                   {"task_id", task.task_id},
                   {"session_id", task.session_id},
                   {"directory", task.directory},
                   {"step", p.step},
                   {"current", p.current},
                   {"total", p.total},
                   {"percent", p.step == "done" ? 100 : percent(p.current, p.total)}};
        ctx.events.publish(kProgressChannel, dump_json(event));
    };
    hooks.finished = [&ctx](const std::string& task_id, const std::string& status) {
        // The library's playlist files follow the tracks a completed scan left (a cancelled or
        // failed scan may have stopped half-way: its playlists wait for the next one).
        if (status == "completed") {
            try {
                SubsonicPlaylists(ctx).import_files();
            } catch (const std::exception& e) {
                log::error("playlist files: import failed: ", e.what());
            }
        }
        Json event{{"type", "library_update"}, {"task_id", task_id}, {"status", status}};
        ctx.events.publish(kNotificationsChannel, dump_json(event));
    };
    return hooks;
}

}  // namespace

ScanService::ScanService(ServiceContext& ctx)
    : ctx_(ctx),
      runner_(std::make_unique<scanner::ScanRunner>(
          ctx.pool, scanner::RunnerOptions{ctx.config.music_roots, ctx.config.scan_threads},
          hooks_for(ctx))) {}

ScanService::~ScanService() = default;  // the runner cancels and joins its scans

ScanStart ScanService::start(const std::string& directory, bool cleanup_deleted) {
    auto s = runner_->start(directory, cleanup_deleted);
    return ScanStart{std::move(s.task_id), std::move(s.directory), s.resumed};
}

scanner::ScanSummary ScanService::run_foreground(const std::string& directory, bool cleanup_deleted,
                                                 const ProgressFn& on_progress, bool reread) {
    return runner_->run_foreground(directory, cleanup_deleted, on_progress, reread);
}

JsonText ScanService::scan_status() {
    auto conn = ctx_.pool.acquire();
    scanner::sessions::reap_stale(*conn, 0);  // this connection holds no session lock
    return JsonText(
        conn->exec("WITH r AS (SELECT processed_files FROM scan_sessions WHERE status = "
                   "'running') SELECT json_build_object('scanning', EXISTS (SELECT 1 FROM r), "
                   "'count', CASE WHEN EXISTS (SELECT 1 FROM r) THEN (SELECT sum(processed_files) "
                   "FROM r)::bigint ELSE (SELECT count(*) FROM tracks) END)")
            .str(0, 0));
}

void ScanService::cancel() noexcept {
    runner_->cancel();
}

void ScanService::set_reader_factory(ReaderFactory factory) {
    runner_->set_reader_factory(std::move(factory));
}

JsonText ScanService::list_sessions() {
    return JsonText(scanner::sessions::list_json(*ctx_.pool.acquire()));
}

JsonText ScanService::get_session(int64_t id) {
    auto json = scanner::sessions::get_json(*ctx_.pool.acquire(), id);
    if (!json) throw not_found("Scan session not found");
    return JsonText(std::move(*json));
}

void ScanService::delete_session(int64_t id) {
    if (!scanner::sessions::remove(*ctx_.pool.acquire(), id))
        throw not_found("Scan session not found");
}

JsonText ScanService::session_errors(int64_t id, int64_t skip, int64_t limit) {
    auto json = scanner::sessions::errors_json(*ctx_.pool.acquire(), id, skip, limit);
    if (!json) throw not_found("Scan session not found");
    return JsonText(std::move(*json));
}

JsonText ScanService::task_status(const std::string& task_id) {
    auto json = scanner::sessions::task_status_json(*ctx_.pool.acquire(), task_id);
    if (!json) throw not_found("Task not found");
    return JsonText(std::move(*json));
}

}  // namespace sonique::services
