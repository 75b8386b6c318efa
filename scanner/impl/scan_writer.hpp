#pragma once
// The writer-side steps of the pipeline: batching outcomes into transactions, removing tracks
// whose files disappeared, entities left without tracks and cover images nothing uses. Writer
// thread only.
#include <unordered_set>
#include <vector>

#include "batch_writer.hpp"
#include "failed_files.hpp"
#include "library_state.hpp"
#include "scanner/scanner.hpp"

namespace sonique::scanner {

struct WriteStep {
    db::Connection& conn;
    BatchWriter& writer;
    LibraryState& state;
    FailedFiles& failures;
    const ScanRequest& req;
    const ScanHooks& hooks;
    ScanSummary& summary;
    int64_t processed = 0;
    std::vector<PendingTrack> pending;
    std::vector<FileWarning> pending_errors;
    size_t pending_files = 0;
    std::unordered_set<int64_t> moved_ids;

    void add(FileEntry&& entry, ReadOutcome&& outcome);
    bool has_pending() const { return pending_files > 0 || !pending_errors.empty(); }
    bool batch_full() const { return pending.size() >= req.batch_size; }
    // Writes the pending batch in one transaction. Throws DbError.
    void flush();
};

// Deletes these tracks in chunks (one transaction each); returns how many went. Throws DbError.
int64_t remove_tracks(db::Connection& conn, BatchWriter& writer, const std::vector<int64_t>& ids,
                      int64_t session_id);
// Deletes albums and artists touched by this scan that have no track left. Throws DbError.
void remove_orphans(db::Connection& conn, BatchWriter& writer);
// Deletes every cover image that no cover refers to any more (one statement), unless a cover
// writer is inside its transaction: a later scan collects them then. Throws DbError.
void remove_unused_cover_images(db::Connection& conn);

}  // namespace sonique::scanner
