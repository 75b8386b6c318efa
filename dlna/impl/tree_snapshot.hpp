#pragma once
// An in-process copy of what Browse lists (docs/dlna.md, "The tree snapshot"): the artists,
// albums, genres and tracks with what their DIDL shows, the orders PostgreSQL gave them, and the
// ContainerUpdateIDs, as of one SystemUpdateID. It answers BrowseDirectChildren and
// BrowseMetadata of the containers it holds without a page statement; anything it does not hold
// (folders, playlists, a SortCriteria, an id that no row backs) is left to the SQL path, which
// stays the source of truth. Compact on purpose: one arena of NUL-terminated strings (the names
// interned), rows in arrays, links as 32-bit indexes in shared arrays (CSR), no per-node
// std::string or map. Immutable once loaded: any thread may read it.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog.hpp"
#include "object_ids.hpp"

namespace sonique::db {
class Connection;
}

namespace sonique::dlna {

class TreeSnapshot {
  public:
    using Str = uint32_t;  // offset into chars_ of a NUL-terminated string; 0 is ""
    static constexpr uint32_t kNone = 0xffffffffu;

    // Reads the tree from PostgreSQL on `conn` (outside any transaction): the SystemUpdateID
    // first, then everything in one REPEATABLE READ transaction, the large tables through a
    // cursor (a batch at a time, so the load's transient memory stays ~1 MB). Throws db errors
    // (the caller keeps answering from SQL). Any thread; one load per connection at a time.
    // music_roots: the library roots in the configuration's order (their folders, m/fo/...).
    static std::shared_ptr<const TreeSnapshot> load(db::Connection& conn,
                                                    const std::vector<std::string>& music_roots);

    // The generation it was read at (the SystemUpdateID sequence's last value, 0 before its
    // first use) and the ids of the transactions that were in flight then ("{...}", xid8[]).
    int64_t generation() const { return generation_; }
    const std::string& pending_xids() const { return pending_; }
    // Bytes held by its arrays and strings (capacity), for the log and docs/dlna.md.
    size_t bytes() const;
    size_t tracks() const { return tracks_.size(); }

    // Whether it may answer Browse of this kind of container (or of an item in it).
    static bool holds(Node node);
    // The children of a container it holds; nullopt when the container is not in it (empty or
    // backed by no row: the SQL path answers, an empty page or fault 701). `library`: the
    // SystemUpdateID is the library's counter (Catalog's library_update_id).
    std::optional<Page> children(const ObjectRef& ref, int64_t start, int64_t count,
                                 bool library) const;
    // The object itself and its UpdateID as Catalog::metadata gives them; nullopt when not held
    // (including the lists right under Music: Catalog answers those).
    std::optional<std::pair<Entry, std::optional<std::uint32_t>>> metadata(const ObjectRef& ref,
                                                                           bool library) const;
    // A kept container's ContainerUpdateID (0 when never marked).
    std::uint32_t container_update_id(const ObjectRef& ref) const;

  private:
    struct Track {
        int64_t id = 0, size = 0;
        Str title = 0, genre = 0, year = 0, file_type = 0, ext = 0;
        uint32_t artist = kNone, album = kNone;  // indexes into artists_, albums_
        int32_t track_no = 0, duration = 0, bitrate = 0, sample_rate = 0, channels = 0,
                bit_depth = 0;
        uint8_t nulls = 0;  // bit per optional field (kNull*), set when NULL
        uint8_t art = 0;    // 0 none, 1 the album's cover, 2 the track's
    };
    struct Album {
        int64_t id = 0;
        Str title = 0, artist_name = 0, year = 0;
        uint32_t artist = kNone;    // album artist (index into artists_)
        uint32_t year_rank = 0;     // place in (release_year, lower(title), id)
        uint32_t first = 0, n = 0;  // its tracks in album_tracks_ (disc, number, id)
        bool art = false;
    };
    struct Artist {
        int64_t id = 0;
        Str name = 0;
        uint32_t first = 0, n = 0;              // its tracks in artist_tracks_ (by id)
        uint32_t albums_first = 0, albums = 0;  // its albums as album artist (year order)
        uint32_t distinct_albums = 0;           // of its tracks
    };
    struct Genre {
        int64_t id = 0;
        Str name = 0;
        uint32_t first = 0, n = 0;  // its artists in genre_artists_ (name order)
    };
    struct Folder {
        Str name = 0;
        uint32_t parent = kNone;
        uint32_t root = 0;                  // the library root's number (1-based)
        uint32_t subs_first = 0, subs = 0;  // subfolders in folder_subs_ (by lower(name), name)
        uint32_t first = 0, n = 0;          // tracks right in it in folder_tracks_ (by path)
    };
    struct UpdateKey {
        uint8_t node = 0;
        int64_t a = 0, b = 0;
        uint32_t update_id = 0;
    };
    friend class TreeSnapshotLoader;

    const char* str(Str s) const { return chars_.data() + s; }
    uint32_t track_index(int64_t id) const;
    uint32_t artist_index(int64_t id) const;
    uint32_t album_index(int64_t id) const;
    uint32_t genre_index(int64_t id) const;
    bool track_in_genre(uint32_t t, uint32_t g) const;
    static UpdateKey key_of(const ObjectRef& ref);
    // A listing: containers (kind set) or tracks; indexes into the table of that kind.
    struct List {
        std::string kind;  // "" tracks, "artist", "album", "genre"
        std::vector<uint32_t> rows;
        bool all_tracks = false, recent = false;  // rows left empty: tracks_ by id
    };
    std::optional<List> list(const ObjectRef& ref) const;
    Entry track_entry(uint32_t t, const std::string& container) const;
    Entry container_entry(const List& l, uint32_t row, const std::string& container) const;
    int64_t key_of_row(const List& l, uint32_t row) const;
    std::optional<std::uint32_t> update_id_for(const ObjectRef& ref, bool library) const;
    // Folders (tree_snapshot_folders.cpp): the folder an id names, kNone when not held.
    uint32_t folder_index(const std::string& folder_id) const;
    std::string folder_rel(uint32_t f) const;
    std::optional<Page> folder_children(const ObjectRef& ref, int64_t start, int64_t count,
                                        bool library) const;
    std::optional<Entry> folder_metadata(const ObjectRef& ref) const;

    int64_t generation_ = 0;
    std::string pending_;
    std::string chars_;
    std::vector<Track> tracks_;    // by id
    std::vector<Album> albums_;    // by lower(title), id (Albums' order)
    std::vector<Artist> artists_;  // by lower(name) (Artists' order)
    std::vector<Genre> genres_;    // by lower(name), id
    std::vector<std::pair<int64_t, uint32_t>> album_ids_, artist_ids_, genre_ids_;  // sorted
    std::vector<uint32_t> album_tracks_, artist_tracks_, aa_albums_, genre_artists_;
    std::vector<uint32_t> track_genres_first_, track_genres_;  // per track: its genres (CSR)
    std::vector<uint32_t> track_artists_, album_artists_, genres_listed_;  // m/ar, m/aa, m/ge
    std::vector<UpdateKey> updates_;                                       // sorted by (node, a, b)
    std::vector<Folder> folders_;
    std::vector<uint32_t> root_folders_;  // per library root (number - 1): its folder
    std::vector<uint32_t> folder_subs_, folder_tracks_;
};

}  // namespace sonique::dlna
