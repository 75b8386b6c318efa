#pragma once
// Library scans (api-contract.md §10), the facade the HTTP layer and the commands call: it
// validates the request's directory, starts or joins a scan, and reads sessions and task status.
// Scanning itself is the scanner's (scanner::ScanRunner, scanner::sessions); this class gives it
// what only services know: the scan settings, cache invalidation after each committed batch, and
// the progress events on the "progress" and "notifications" channels, and after each completed
// scan the import of the library's playlist files (SubsonicPlaylists::import_files).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

// Declared only: the scanner's headers reach libpq. Callers of run_foreground(), runner() and
// set_reader_factory() include scanner/scan_runner.hpp.
namespace sonique::scanner {
class ScanRunner;
class TagReader;
struct ScanProgress;
struct ScanSummary;
}  // namespace sonique::scanner

namespace sonique::services {

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
    ScanService& operator=(const ScanService&) = delete;

    // The directory of POST /api/scan: default MUSIC_PATH, a relative one under it, inside the
    // library roots, not a system folder. Throws bad_request with the contract's detail strings.
    // Any thread.
    std::string resolve_directory(const std::optional<std::string>& directory) const;
    // Starts a background scan of an already resolved directory, or joins the running scan that
    // covers it (scanner::ScanRunner::start). Throws DbError when the database is unavailable.
    // Any thread.
    ScanStart start(const std::string& directory, bool cleanup_deleted);
    // Scans in the calling thread (scanner::ScanRunner::run_foreground). Throws DbError when
    // the scan itself fails; bad files are recorded, never thrown.
    scanner::ScanSummary run_foreground(const std::string& directory, bool cleanup_deleted,
                                        const ProgressFn& on_progress, bool reread = false);

    // Reads of the contract, as JSON text. Throw DbError; any thread.
    JsonText list_sessions();
    // Throws not_found("Scan session not found").
    JsonText get_session(int64_t id);
    // Throws not_found("Scan session not found").
    void delete_session(int64_t id);
    // Throws not_found("Scan session not found").
    JsonText session_errors(int64_t id, int64_t skip, int64_t limit);
    // {task_id, status, result}; throws not_found("Task not found").
    JsonText task_status(const std::string& task_id);

    // Subsonic's scanStatus: {"scanning": a scan runs (in any process), "count": the files that
    // the running scans have processed, else the library's tracks}. Sessions left running by a
    // process that is gone are reaped first, as list_sessions() does. Throws DbError; any
    // thread.
    JsonText scan_status();

    // Cancels every scan of this service (scanner::ScanRunner::cancel). Any thread; never
    // blocks.
    void cancel() noexcept;
    // The runner behind this service: the watcher (scanner::ScanWatcher) drives it.
    scanner::ScanRunner& runner() { return *runner_; }
    // Tests: replace the TagLib reader. Before any scan.
    void set_reader_factory(ReaderFactory factory);

  private:
    ServiceContext& ctx_;
    std::unique_ptr<scanner::ScanRunner> runner_;
};

}  // namespace sonique::services
