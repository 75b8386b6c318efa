#include "batch_writer.hpp"
#include <chrono>
#include <cstdio>

#include <unordered_map>
#include <unordered_set>

#include "core/strings.hpp"
#include "db/transaction.hpp"
#include "pg_array.hpp"
#include "scanner/session_store.hpp"
#include "track_columns.hpp"
#include "various_artists.hpp"

namespace sonique::scanner {

BatchWriter::BatchWriter(db::Connection& conn, int64_t session_id,
                         std::function<bool(const std::string&)> known_dir)
    : conn_(conn), session_id_(session_id), known_dir_(std::move(known_dir)), entities_(conn) {}

BatchResult BatchWriter::write(std::vector<PendingTrack>& tracks,
                               const std::vector<FileWarning>& errors, FailedFiles& failures,
                               int64_t processed, int64_t total) {
    touched_albums_.clear();
    touched_artists_.clear();
    try {
        return write_tx(tracks, errors, failures, processed, total);
    } catch (...) {
        entities_.forget();  // ids created by the rolled-back transaction are gone
        covered_albums_.clear();
        covered_artists_.clear();
        folder_albums_.clear();
        throw;
    }
}

BatchResult BatchWriter::write_tx(std::vector<PendingTrack>& tracks,
                                  const std::vector<FileWarning>& errors, FailedFiles& failures,
                                  int64_t processed, int64_t total) {
    BatchResult result;
    db::Transaction tx(conn_);
    if (!tracks.empty()) {
        auto resolved = resolve(tracks);
        remember_old_links(tracks);
        apply_moves(tracks);
        auto ids = upsert_tracks(tracks, resolved, result);
        write_links(tracks, resolved, ids, result.added == static_cast<int64_t>(tracks.size()));
        write_features(tracks, ids);
        write_covers(tracks, resolved);
    }
    write_errors(errors);
    failures.write(conn_);
    sessions::BatchProgress progress{processed,      total,
                                     std::nullopt,   result.added,
                                     result.updated, static_cast<int64_t>(errors.size())};
    if (!tracks.empty()) progress.last_file = tracks.back().track.file.path;
    sessions::record_batch(conn_, session_id_, progress);
    tx.commit();
    result.touched_albums = std::move(touched_albums_);
    result.touched_artists = std::move(touched_artists_);
    return result;
}

std::vector<BatchWriter::Resolved> BatchWriter::resolve(const std::vector<PendingTrack>& tracks) {
    // The batch's new artists, then its new albums, are each looked up in one pipeline; the
    // per-track passes then find them cached. Albums found by folder go first, one track at a
    // time: a folder album that becomes a compilation must exist before a tagged track of the
    // same folder looks for ("Various Artists", title), or that track would create a second one.
    std::vector<Entities::ArtistRef> artists;
    for (const auto& p : tracks)
        for (auto& ref : artist_refs(p.track))
            artists.push_back(std::move(ref));
    entities_.prefetch(artists);
    std::vector<Resolved> resolved;
    for (const auto& p : tracks)
        resolved.push_back(resolve_artists(p.track));
    auto by_artist = [](const TrackInfo& t) {
        return t.album && !t.album->empty() && !by_folder(t);
    };
    std::vector<Entities::AlbumRef> albums;
    for (size_t i = 0; i < tracks.size(); ++i) {
        const TrackInfo& t = tracks[i].track;
        if (by_folder(t))
            resolve_by_folder(t, resolved[i]);
        else if (by_artist(t))
            albums.push_back({resolved[i].album_artist_id, &t, resolved[i].compilation});
    }
    // A folder's album may have changed after its first tracks (it turned out a compilation of
    // its own): every track of the folder gets its final album.
    for (size_t i = 0; i < tracks.size(); ++i)
        if (by_folder(tracks[i].track))
            resolved[i].album_id = folder_albums_.at(folder_key(tracks[i].track)).album_id;
    entities_.prefetch(albums);
    for (size_t i = 0; i < tracks.size(); ++i) {
        const TrackInfo& t = tracks[i].track;
        if (by_artist(t))
            resolved[i].album_id =
                entities_.album(resolved[i].album_artist_id, t, resolved[i].compilation);
    }
    return resolved;
}

bool BatchWriter::various(const TrackInfo& t) {
    return t.album_artist.empty() ? t.compilation
                                  : to_lower(t.album_artist) == to_lower(kVariousArtists);
}

bool BatchWriter::by_folder(const TrackInfo& t) {
    return t.album && !t.album->empty() && t.album_artist.empty() && !t.compilation;
}

std::vector<Entities::ArtistRef> BatchWriter::artist_refs(const TrackInfo& t) {
    std::vector<Entities::ArtistRef> refs;
    bool mbids_align = t.artist_mbids.size() == t.artists.size();
    for (size_t i = 0; i < t.artists.size(); ++i)
        refs.push_back({t.artists[i], mbids_align ? OptStr(t.artist_mbids[i]) : std::nullopt,
                        i == 0 ? t.artist_sort : std::nullopt});
    if (various(t))
        refs.push_back({kVariousArtists, std::nullopt, std::nullopt});
    else if (!t.album_artist.empty())
        refs.push_back({t.album_artist, t.mb_album_artist, t.album_artist_sort});
    return refs;
}

BatchWriter::Resolved BatchWriter::resolve_artists(const TrackInfo& t) {
    Resolved r;
    for (const auto& ref : artist_refs(t))
        r.artist_ids.push_back(entities_.artist(ref.name, ref.mbid, ref.sort_name));
    // The album artist, when there is one, came last.
    r.album_artist_id =
        r.artist_ids.size() > t.artists.size() ? r.artist_ids.back() : r.artist_ids.front();
    r.artist_ids.resize(t.artists.size());
    // Names that are one artist ("Beyoncé; Beyonce") link the track to it once, at its first
    // position.
    std::unordered_set<int64_t> seen;
    std::erase_if(r.artist_ids, [&](int64_t id) { return !seen.insert(id).second; });
    r.compilation = various(t) || t.compilation;
    return r;
}

void BatchWriter::remember_old_links(const std::vector<PendingTrack>& tracks) {
    PgArray paths;
    std::vector<int64_t> moved;
    for (const auto& p : tracks) {
        // A path new to this scan has no old links (one added meanwhile through the API keeps
        // its album and artists until a later scan finds them orphaned).
        if (p.known) paths.add(std::string_view(p.track.file.path));
        if (p.move_id) moved.push_back(*p.move_id);
    }
    if (paths.empty() && moved.empty()) return;  // a cold scan's batches
    // Planned for its values: a generic plan made on a cold scan's empty tables scans them all.
    auto r = conn_.exec_custom(
        "SELECT t.album_id, t.track_artist_id, ta.artist_id FROM tracks t "
        "LEFT JOIN track_artists ta ON ta.track_id = t.id "
        "WHERE t.path = ANY($1::text[]) OR t.id = ANY($2::bigint[])",
        db::Params(paths.str(), ids_array(moved)));
    for (int i = 0; i < r.rows(); ++i) {
        if (auto a = r.opt_int64(i, 0)) touched_albums_.insert(*a);
        touched_artists_.insert(r.int64(i, 1));
        if (auto a = r.opt_int64(i, 2)) touched_artists_.insert(*a);
    }
}

void BatchWriter::apply_moves(const std::vector<PendingTrack>& tracks) {
    std::vector<int64_t> ids;
    PgArray paths;
    for (const auto& p : tracks) {
        if (!p.move_id) continue;
        ids.push_back(*p.move_id);
        paths.add(std::string_view(p.track.file.path));
    }
    if (ids.empty()) return;
    conn_.exec(
        "UPDATE tracks SET path = u.path FROM unnest($1::bigint[], $2::text[]) AS u(id, path) "
        "WHERE tracks.id = u.id",
        db::Params(ids_array(ids), paths.str()));
}

std::vector<int64_t> BatchWriter::upsert_tracks(const std::vector<PendingTrack>& tracks,
                                                const std::vector<Resolved>& resolved,
                                                BatchResult& result) {
    std::vector<const TrackInfo*> infos;
    std::vector<TrackRefs> refs;
    for (size_t i = 0; i < tracks.size(); ++i) {
        infos.push_back(&tracks[i].track);
        refs.push_back({resolved[i].artist_ids.front(), resolved[i].album_id});
    }
    db::Params params;
    for (auto& a : track_arrays(infos, refs))
        params.add(std::move(a));
    auto r = conn_.exec(track_upsert_sql(), params);
    std::unordered_map<std::string, std::pair<int64_t, bool>> by_path;
    for (int i = 0; i < r.rows(); ++i)
        by_path[r.str(i, 1)] = {r.int64(i, 0), r.boolean(i, 2)};
    std::vector<int64_t> ids;
    for (const auto& p : tracks) {
        auto [id, inserted] = by_path.at(p.track.file.path);
        ids.push_back(id);
        if (p.move_id)
            ++result.moved;
        else if (inserted)
            ++result.added;
        else
            ++result.updated;
    }
    return ids;
}

void BatchWriter::write_links(const std::vector<PendingTrack>& tracks,
                              const std::vector<Resolved>& resolved,
                              const std::vector<int64_t>& ids, bool all_new) {
    std::vector<db::Query> queries;
    if (!all_new) {  // a cold scan's new tracks have no links to replace
        std::string all = ids_array(ids);
        for (const char* sql : {"DELETE FROM track_artists WHERE track_id = ANY($1::bigint[])",
                                "DELETE FROM track_genres WHERE track_id = ANY($1::bigint[])",
                                "DELETE FROM track_genre_tags WHERE track_id = ANY($1::bigint[])",
                                "DELETE FROM track_mood_tags WHERE track_id = ANY($1::bigint[])"})
            queries.push_back({sql, db::Params(all)});
    }
    std::vector<int64_t> ta_track, ta_artist, ta_pos, g_track, g_id, g_pos, gt_track, gt_id,
        mt_track, mt_id;
    for (size_t i = 0; i < tracks.size(); ++i) {
        const auto& a = resolved[i].artist_ids;
        for (size_t p = 0; p < a.size(); ++p) {
            ta_track.push_back(ids[i]);
            ta_artist.push_back(a[p]);
            ta_pos.push_back(static_cast<int64_t>(p));
        }
        std::unordered_set<int64_t> seen_g, seen_gt, seen_m;
        const auto& genres = tracks[i].track.genres;
        for (size_t p = 0; p < genres.size(); ++p) {
            int64_t g = entities_.genre(genres[p]);
            if (seen_g.insert(g).second) {
                g_track.push_back(ids[i]);
                g_id.push_back(g);
                g_pos.push_back(static_cast<int64_t>(p));
            }
            int64_t gt = entities_.genre_tag(genres[p]);
            if (seen_gt.insert(gt).second) {
                gt_track.push_back(ids[i]);
                gt_id.push_back(gt);
            }
        }
        for (const auto& m : tracks[i].track.moods) {
            int64_t mt = entities_.mood_tag(m);
            if (seen_m.insert(mt).second) {
                mt_track.push_back(ids[i]);
                mt_id.push_back(mt);
            }
        }
    }
    queries.push_back(
        {"INSERT INTO track_artists (track_id, artist_id, position) "
         "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[])",
         db::Params(ids_array(ta_track), ids_array(ta_artist), ids_array(ta_pos))});
    if (!g_track.empty())
        queries.push_back(
            {"INSERT INTO track_genres (track_id, genre_id, position) "
             "SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::int[])",
             db::Params(ids_array(g_track), ids_array(g_id), ids_array(g_pos))});
    if (!gt_track.empty())
        queries.push_back(
            {"INSERT INTO track_genre_tags (track_id, tag_id) "
             "SELECT * FROM unnest($1::bigint[], $2::bigint[])",
             db::Params(ids_array(gt_track), ids_array(gt_id))});
    if (!mt_track.empty())
        queries.push_back(
            {"INSERT INTO track_mood_tags (track_id, tag_id) "
             "SELECT * FROM unnest($1::bigint[], $2::bigint[])",
             db::Params(ids_array(mt_track), ids_array(mt_id))});
    conn_.pipeline(queries);  // one round trip for the batch's links
}

}  // namespace sonique::scanner
