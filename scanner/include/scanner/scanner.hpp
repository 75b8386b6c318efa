#pragma once
// The scan pipeline, a sequence of named steps:
//   discover -> skip unchanged (size + mtime) -> read tags on N threads (isolated worker
//   processes, no database access) -> bounded queue -> one writer (this thread) writing
//   batches, one transaction each -> remove what disappeared -> report progress.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "scanner/file_processor.hpp"
#include "scanner/tag_reader.hpp"

namespace sonique::scanner {

struct ScanRequest {
    std::vector<std::string> directories;  // absolute; each is walked recursively
    std::vector<std::string> roots;        // canonical library roots (links stay inside)
    // The library roots as configured (MUSIC_PATH). A scanned directory that is one of them, or
    // lies outside all of them, is guarded: missing or empty while the database holds tracks
    // under it, it is taken for an unmounted disk and nothing under it is removed.
    std::vector<std::string> library_roots;
    // Mount tables (fstab format). An empty folder inside a root that one of them names as a
    // mount point, while the database holds tracks under it, is guarded the same way (a NAS
    // mounted at /music/nas); any other emptied folder is a real deletion.
    std::vector<std::string> mount_tables{"/etc/fstab", "/proc/self/mounts"};
    int64_t session_id = 0;       // scan_sessions row updated as the scan goes
    bool cleanup_deleted = true;  // remove tracks whose files are gone
    // Read every file, also those whose size and mtime are unchanged and those that failed
    // before (after a change of the split settings, say).
    bool reread = false;
    int threads = 2;
    bool isolate = true;  // read tags in worker processes
    std::chrono::milliseconds file_timeout{20000};
    size_t batch_size = 500;
    SplitRules split;  // used by make_taglib_reader callers
    CoverRules covers;
};

struct ScanProgress {
    std::string step;  // "discover", "read", "cleanup", "done"
    int64_t current = 0;
    int64_t total = 0;
};

struct ScanSummary {
    int64_t found = 0, unchanged = 0, added = 0, updated = 0, moved = 0, removed = 0, errors = 0;
    // Files that failed in an earlier scan and have the same size and mtime: not read again,
    // reported again as scan errors (so also counted in errors).
    int64_t failed_unchanged = 0;
    double seconds = 0;
    bool cancelled = false;
};

struct ScanHooks {
    // Called from the writer thread at most every 250 ms, and at each step change.
    std::function<void(const ScanProgress&)> progress;
    // Called after each committed batch (cache invalidation).
    std::function<void()> committed;
};

// Runs a scan on conn (a dedicated connection; the caller holds the per-directory lock on
// it). reader is copied into the worker processes by fork when isolate is set. Throws DbError
// when the database fails (the batch in progress is rolled back); bad files never throw.
// cancel is checked between folders, files and batches: a cancelled scan stops within a
// fraction of a second (files being read are abandoned) and removes nothing.
ScanSummary run_scan(db::Connection& conn, TagReader& reader, const ScanRequest& request,
                     const ScanHooks& hooks, const std::atomic<bool>& cancel);

}  // namespace sonique::scanner
