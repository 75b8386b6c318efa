#include "scanner_steps.hpp"

#include <algorithm>

#include "core/log.hpp"
#include "db/transaction.hpp"
#include "pg_array.hpp"

namespace sonique::scanner {
namespace {

constexpr size_t kDeleteChunk = 1000;

}  // namespace

void WriteStep::add(FileEntry&& entry, ReadOutcome&& outcome) {
    ++pending_files;
    failures.read(entry, outcome);
    for (auto& w : outcome.warnings)
        pending_errors.push_back(std::move(w));
    if (!outcome.track) {
        pending_errors.push_back(
            {entry.path, outcome.error.empty() ? "unreadable" : outcome.error});
        return;
    }
    PendingTrack p{std::move(*outcome.track), std::nullopt};
    p.track.file = std::move(entry);
    p.known = state.known(p.track.file.path);
    if (!p.known) {
        p.move_id = state.take_move(p.track);
        if (p.move_id) moved_ids.insert(*p.move_id);
    }
    pending.push_back(std::move(p));
}

void WriteStep::flush() {
    if (!has_pending()) return;
    // Readers finish in any order: in path order, the first spelling of a new artist or album
    // (the one stored) is the same on every scan.
    std::sort(pending.begin(), pending.end(), [](const PendingTrack& a, const PendingTrack& b) {
        return a.track.file.path < b.track.file.path;
    });
    int64_t done = processed + static_cast<int64_t>(pending_files);
    auto r = writer.write(pending, pending_errors, failures, done, summary.found);
    summary.added += r.added;
    summary.updated += r.updated;
    summary.moved += r.moved;
    summary.errors += static_cast<int64_t>(pending_errors.size());
    processed = done;
    pending.clear();
    pending_errors.clear();
    pending_files = 0;
    if (hooks.committed) hooks.committed();
}

int64_t remove_tracks(db::Connection& conn, BatchWriter& writer, const std::vector<int64_t>& ids,
                      int64_t session_id) {
    int64_t removed = 0;
    for (size_t start = 0; start < ids.size(); start += kDeleteChunk) {
        std::vector<int64_t> chunk(
            ids.begin() + static_cast<long>(start),
            ids.begin() + static_cast<long>(std::min(ids.size(), start + kDeleteChunk)));
        std::string arr = ids_array(chunk);
        db::Transaction tx(conn);
        auto links = conn.exec(
            "SELECT DISTINCT artist_id FROM track_artists WHERE track_id = ANY($1::bigint[])",
            db::Params(arr));
        for (int i = 0; i < links.rows(); ++i)
            writer.touched_artists().insert(links.int64(i, 0));
        auto r = conn.exec(
            "DELETE FROM tracks WHERE id = ANY($1::bigint[]) RETURNING album_id, track_artist_id",
            db::Params(arr));
        for (int i = 0; i < r.rows(); ++i) {
            if (auto a = r.opt_int64(i, 0)) writer.touched_albums().insert(*a);
            writer.touched_artists().insert(r.int64(i, 1));
        }
        conn.exec(
            "UPDATE scan_sessions SET removed_files = removed_files + $2, updated_at = now() "
            "WHERE id = $1",
            db::Params(session_id, static_cast<int64_t>(r.rows())));
        tx.commit();
        removed += r.rows();
    }
    return removed;
}

void remove_orphans(db::Connection& conn, BatchWriter& writer) {
    if (writer.touched_albums().empty() && writer.touched_artists().empty()) return;
    std::vector<int64_t> albums(writer.touched_albums().begin(), writer.touched_albums().end());
    db::Transaction tx(conn);
    auto r = conn.exec(
        "DELETE FROM albums a WHERE a.id = ANY($1::bigint[]) "
        "AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = a.id) RETURNING album_artist_id",
        db::Params(ids_array(albums)));
    for (int i = 0; i < r.rows(); ++i)
        writer.touched_artists().insert(r.int64(i, 0));
    std::vector<int64_t> artists(writer.touched_artists().begin(), writer.touched_artists().end());
    conn.exec(
        "DELETE FROM artists ar WHERE ar.id = ANY($1::bigint[]) "
        "AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.track_artist_id = ar.id) "
        "AND NOT EXISTS (SELECT 1 FROM track_artists ta WHERE ta.artist_id = ar.id) "
        "AND NOT EXISTS (SELECT 1 FROM albums al WHERE al.album_artist_id = ar.id)",
        db::Params(ids_array(artists)));
    tx.commit();
    writer.touched_albums().clear();
    writer.touched_artists().clear();
}

void remove_unused_cover_images(db::Connection& conn) {
    auto r = conn.exec("SELECT sonique_remove_unused_cover_images()");
    if (r.opt_int64(0, 0))
        log::debug("scan: removed ", *r.opt_int64(0, 0), " unused cover images");
    else
        log::debug("scan: cover images in use by a writer; unused ones are left for later");
}

}  // namespace sonique::scanner
