#pragma once
// The writer side of the pipeline (steps "write" and "remove what disappeared"): batching read
// outcomes into transactions through BatchWriter, then removing tracks whose files disappeared,
// the albums and artists left without tracks, and the cover images nothing uses. Writer thread
// only.
#include <cstdint>
#include <functional>
#include <set>
#include <unordered_set>
#include <vector>

#include "batch_writer.hpp"
#include "library_state.hpp"
#include "scanner/scanner.hpp"

namespace sonique::scanner {

class ScanWriter {
  public:
    // conn: the scan's connection; state and failures: loaded by discovery, kept up to date
    // here. summary: discovery's counts (found, unchanged, failed_unchanged); the writer adds
    // its own (added, updated, moved, errors, removed). problems: discovery's scan errors,
    // written with the first batch. committed: called after each committed transaction (may be
    // empty). Everything given must outlive the writer.
    ScanWriter(db::Connection& conn, const ScanRequest& request, LibraryState& state,
               FailedFiles& failures, ScanSummary& summary, std::vector<FileWarning> problems,
               std::function<void()> committed);

    // One read outcome: a track to write, or a scan error.
    void add(FileEntry&& entry, ReadOutcome&& outcome);
    bool has_pending() const { return pending_files_ > 0 || !pending_errors_.empty(); }
    bool batch_full() const { return pending_.size() >= request_.batch_size; }
    // Writes the pending batch in one transaction. Throws DbError (the batch is rolled back).
    void flush();
    // Files accounted for so far: unchanged ones and those written.
    int64_t processed() const { return processed_; }

    // Step "remove what disappeared", for a scan that was not cancelled: the tracks in gone
    // that no new file was a move of (when the request cleans up deleted files), then the
    // albums and artists left without tracks, the failures of vanished files and the cover
    // images nothing uses. Throws DbError (each step is its own transaction).
    void remove_disappeared(const std::vector<int64_t>& gone,
                            const std::vector<std::string>& failed_dirs);

  private:
    int64_t remove_tracks(const std::vector<int64_t>& ids);
    void remove_orphans();
    void remove_unused_cover_images();
    void committed() const {
        if (committed_) committed_();
    }

    db::Connection& conn_;
    const ScanRequest& request_;
    LibraryState& state_;
    FailedFiles& failures_;
    ScanSummary& summary_;
    std::function<void()> committed_;
    BatchWriter batch_;
    int64_t processed_;
    std::vector<PendingTrack> pending_;
    std::vector<FileWarning> pending_errors_;
    size_t pending_files_ = 0;
    std::unordered_set<int64_t> moved_ids_;               // disappeared tracks found moved
    std::set<int64_t> touched_albums_, touched_artists_;  // orphan candidates
};

}  // namespace sonique::scanner
