#pragma once
// The writer side of the scan: one transaction per batch of tracks (multi-row statements over
// unnest() arrays), plus the batch's scan errors and the session's progress. Writer thread only.
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "entities.hpp"
#include "library_state.hpp"
#include "scanner/track_info.hpp"

namespace sonique::scanner {

struct PendingTrack {
    TrackInfo track;
    std::optional<int64_t> move_id;  // an existing track whose file moved here
    bool known = false;              // a track had this path when the scan started
};

struct BatchResult {
    int64_t added = 0, updated = 0, moved = 0;
    // Albums and artists that lost tracks or links in the batch: candidates for the orphan
    // cleanup at the end of the scan.
    std::set<int64_t> touched_albums, touched_artists;
};

class BatchWriter {
  public:
    // known_dir: whether the database may hold tracks directly in a folder ("/" terminated);
    // folders it did not are never looked up.
    BatchWriter(db::Connection& conn, int64_t session_id,
                std::function<bool(const std::string&)> known_dir);

    // Writes tracks, errors, the failures' changes and the session's progress (through
    // sessions::record_batch) in one transaction. On DbError the transaction is rolled back,
    // the entity caches are dropped and the error propagates.
    BatchResult write(std::vector<PendingTrack>& tracks, const std::vector<FileWarning>& errors,
                      FailedFiles& failures, int64_t processed, int64_t total);

  private:
    struct Resolved {
        std::vector<int64_t> artist_ids;
        std::optional<int64_t> album_id;
        int64_t album_artist_id = 0;
        bool compilation = false;
    };
    BatchResult write_tx(std::vector<PendingTrack>& tracks, const std::vector<FileWarning>& errors,
                         FailedFiles& failures, int64_t processed, int64_t total);
    std::vector<Resolved> resolve(const std::vector<PendingTrack>& tracks);
    // The track's artists in order, then its album artist when it names one (or is a
    // compilation: "Various Artists").
    static std::vector<Entities::ArtistRef> artist_refs(const TrackInfo& t);
    static bool various(const TrackInfo& t);
    // Whether the track's album is found by folder (resolve_by_folder) rather than by artist.
    static bool by_folder(const TrackInfo& t);
    Resolved resolve_artists(const TrackInfo& t);
    // Tracks without an album artist tag: one album per (folder, title); it becomes a
    // "Various Artists" compilation when its tracks have different artists. An album that also
    // holds other folders' tracks (an artist's own album of the same title) stays theirs: the
    // folder's tracks go to a compilation of their own.
    void resolve_by_folder(const TrackInfo& t, Resolved& r);
    static std::string folder_key(const TrackInfo& t);
    bool held_elsewhere(int64_t album_id, const std::string& dir, const std::string& key);
    void remember_old_links(const std::vector<PendingTrack>& tracks);
    void apply_moves(const std::vector<PendingTrack>& tracks);
    std::vector<int64_t> upsert_tracks(const std::vector<PendingTrack>& tracks,
                                       const std::vector<Resolved>& resolved, BatchResult& result);
    void write_links(const std::vector<PendingTrack>& tracks, const std::vector<Resolved>& resolved,
                     const std::vector<int64_t>& ids, bool all_new);
    void write_features(const std::vector<PendingTrack>& tracks, const std::vector<int64_t>& ids);
    void write_covers(const std::vector<PendingTrack>& tracks,
                      const std::vector<Resolved>& resolved);
    void write_errors(const std::vector<FileWarning>& errors);

    db::Connection& conn_;
    int64_t session_id_;
    std::function<bool(const std::string&)> known_dir_;
    Entities entities_;
    std::unordered_set<int64_t> covered_albums_, covered_artists_;  // set during this scan
    // What the batch being written touched; handed over in its BatchResult.
    std::set<int64_t> touched_albums_, touched_artists_;
    struct FolderAlbum {
        int64_t album_id, artist_id;
    };
    std::unordered_map<std::string, FolderAlbum> folder_albums_;
};

}  // namespace sonique::scanner
