#include "scan_writer.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "db/transaction.hpp"
#include "pg_array.hpp"
#include "scanner/session_store.hpp"

namespace sonique::scanner {
namespace {

constexpr size_t kDeleteChunk = 1000;

}  // namespace

ScanWriter::ScanWriter(db::Connection& conn, const ScanRequest& request, LibraryState& state,
                       FailedFiles& failures, ScanSummary& summary,
                       std::vector<FileWarning> problems, std::function<void()> committed)
    : conn_(conn),
      request_(request),
      state_(state),
      failures_(failures),
      summary_(summary),
      committed_(std::move(committed)),
      batch_(conn, request.session_id,
             [&state](const std::string& dir) { return state.known_dir(dir); }),
      processed_(summary.unchanged + summary.failed_unchanged),
      pending_errors_(std::move(problems)) {}

void ScanWriter::add(FileEntry&& entry, ReadOutcome&& outcome) {
    ++pending_files_;
    failures_.read(entry, outcome);
    for (auto& w : outcome.warnings)
        pending_errors_.push_back(std::move(w));
    if (!outcome.track) {
        pending_errors_.push_back(
            {entry.path, outcome.error.empty() ? "unreadable" : outcome.error});
        return;
    }
    PendingTrack p{std::move(*outcome.track), std::nullopt};
    p.track.file = std::move(entry);
    p.known = state_.known(p.track.file.path);
    if (!p.known) {
        p.move_id = state_.take_move(p.track);
        if (p.move_id) moved_ids_.insert(*p.move_id);
    }
    pending_.push_back(std::move(p));
}

void ScanWriter::flush() {
    if (!has_pending()) return;
    // Readers finish in any order: in path order, the first spelling of a new artist or album
    // (the one stored) is the same on every scan.
    std::sort(pending_.begin(), pending_.end(), [](const PendingTrack& a, const PendingTrack& b) {
        return a.track.file.path < b.track.file.path;
    });
    int64_t done = processed_ + static_cast<int64_t>(pending_files_);
    auto r = batch_.write(pending_, pending_errors_, failures_, done, summary_.found);
    summary_.added += r.added;
    summary_.updated += r.updated;
    summary_.moved += r.moved;
    summary_.errors += static_cast<int64_t>(pending_errors_.size());
    touched_albums_.merge(r.touched_albums);
    touched_artists_.merge(r.touched_artists);
    processed_ = done;
    pending_.clear();
    pending_errors_.clear();
    pending_files_ = 0;
    committed();
}

void ScanWriter::remove_disappeared(const std::vector<int64_t>& gone,
                                    const std::vector<std::string>& failed_dirs) {
    std::vector<int64_t> remove;
    for (auto id : gone)
        if (!moved_ids_.count(id)) remove.push_back(id);
    if (request_.cleanup_deleted) summary_.removed = remove_tracks(remove);
    remove_orphans();
    FailedFiles::forget(conn_, failures_.vanished(failed_dirs));
    remove_unused_cover_images();
    committed();
}

// In chunks, one transaction each; returns how many went.
int64_t ScanWriter::remove_tracks(const std::vector<int64_t>& ids) {
    int64_t removed = 0;
    for (size_t start = 0; start < ids.size(); start += kDeleteChunk) {
        std::vector<int64_t> chunk(
            ids.begin() + static_cast<long>(start),
            ids.begin() + static_cast<long>(std::min(ids.size(), start + kDeleteChunk)));
        std::string arr = ids_array(chunk);
        db::Transaction tx(conn_);
        auto links = conn_.exec(
            "SELECT DISTINCT artist_id FROM track_artists WHERE track_id = ANY($1::bigint[])",
            db::Params(arr));
        for (int i = 0; i < links.rows(); ++i)
            touched_artists_.insert(links.int64(i, 0));
        auto r = conn_.exec(
            "DELETE FROM tracks WHERE id = ANY($1::bigint[]) RETURNING album_id, track_artist_id",
            db::Params(arr));
        for (int i = 0; i < r.rows(); ++i) {
            if (auto a = r.opt_int64(i, 0)) touched_albums_.insert(*a);
            touched_artists_.insert(r.int64(i, 1));
        }
        sessions::record_removed(conn_, request_.session_id, static_cast<int64_t>(r.rows()));
        tx.commit();
        removed += r.rows();
    }
    return removed;
}

// The albums and artists touched by this scan that have no track left.
void ScanWriter::remove_orphans() {
    if (touched_albums_.empty() && touched_artists_.empty()) return;
    std::vector<int64_t> albums(touched_albums_.begin(), touched_albums_.end());
    db::Transaction tx(conn_);
    auto r = conn_.exec(
        "DELETE FROM albums a WHERE a.id = ANY($1::bigint[]) "
        "AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = a.id) RETURNING album_artist_id",
        db::Params(ids_array(albums)));
    for (int i = 0; i < r.rows(); ++i)
        touched_artists_.insert(r.int64(i, 0));
    std::vector<int64_t> artists(touched_artists_.begin(), touched_artists_.end());
    conn_.exec(
        "DELETE FROM artists ar WHERE ar.id = ANY($1::bigint[]) "
        "AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.track_artist_id = ar.id) "
        "AND NOT EXISTS (SELECT 1 FROM track_artists ta WHERE ta.artist_id = ar.id) "
        "AND NOT EXISTS (SELECT 1 FROM albums al WHERE al.album_artist_id = ar.id)",
        db::Params(ids_array(artists)));
    tx.commit();
    touched_albums_.clear();
    touched_artists_.clear();
}

// Every cover image that no cover refers to any more (one statement), unless a cover writer is
// inside its transaction: a later scan collects them then.
void ScanWriter::remove_unused_cover_images() {
    auto r = conn_.exec("SELECT sonique_remove_unused_cover_images()");
    if (r.opt_int64(0, 0))
        log::debug("scan: removed ", *r.opt_int64(0, 0), " unused cover images");
    else
        log::debug("scan: cover images in use by a writer; unused ones are left for later");
}

}  // namespace sonique::scanner
