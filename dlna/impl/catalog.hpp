#pragma once
// The tree's rows from PostgreSQL: one statement per Browse page (the page and its total
// together), by the container's kind (object_ids.hpp). The DIDL writer (didl.hpp) turns them
// into XML.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cursor_cache.hpp"
#include "object_ids.hpp"
#include "services/context.hpp"

namespace sonique::db {
class Result;
}

namespace sonique::dlna {

class TreeSnapshots;

// One child: a container (an artist, album, genre, folder, playlist or a fixed one) or a track.
struct Entry {
    bool is_track = false;
    std::string id;
    std::string parent;
    std::string title;
    std::string kind;  // containers: "artist", "album", "genre", "folder", "playlist", "fixed"
    std::optional<int64_t> child_count;
    std::string artist, album, album_artist, genre, date;
    std::optional<int64_t> track_id, track_no, duration_s, size, bitrate, sample_rate, channels,
        bit_depth;
    std::string file_type, path;
    std::string art;  // "album-<id>" or "track-<id>" when a cover is stored, else ""
};

// A folder's entry below Folders (`m/fo/<folder_id>`); count: its children when known. Any
// thread.
Entry folder_entry(const std::string& folder_id, const std::string& title,
                   std::optional<int64_t> count);

struct Page {
    std::vector<Entry> entries;
    int64_t total = 0;
    // The container's ContainerUpdateID (migration 0020) when it is one whose changes are kept;
    // else the SystemUpdateID when the catalog reads it (Catalog's library_update_id); nullopt:
    // the answer's UpdateID is the SystemUpdateID, from the caller's callback.
    std::optional<std::uint32_t> update_id;
};

// One ORDER BY term from SortCriteria: a property and its direction.
struct SortKey {
    std::string property;  // "dc:title", "upnp:artist", ...
    bool descending = false;
};

// The properties SortCriteria may name (GetSortCapabilities).
inline constexpr const char* kSortCapabilities =
    "dc:title,upnp:artist,upnp:album,dc:date,upnp:originalTrackNumber,upnp:genre";

// The SystemUpdateID as a scalar subquery (services::library_update_id's statement), for the
// page statements that read it with the page.
inline constexpr const char* kSystemUpdateId =
    "(SELECT CASE WHEN is_called THEN last_value % 4294967296 ELSE 0 END FROM "
    "sonique_library_update_id)";

// A track row (column 0 ignored, then listing.hpp's kTrackColumns) as an entry of `container`.
Entry track_entry(const db::Result& r, int row, const std::string& container);
struct Listing;

// Whether a container's ContainerUpdateID is kept (migration 0020 marks every change of its
// children): the fixed lists, artists, albums, album artists, genres and playlists and what is
// below them, but not the genre's artists and albums nor folders (their Browse answers the
// SystemUpdateID). Any thread.
bool keeps_update_id(Node node);

class Catalog {
  public:
    // library_update_id: the SystemUpdateID is the library's counter and is read in the page's
    // statement (Page::update_id set for every SQL page); false: left to the caller.
    // tree_snapshot: Browse is answered from the in-process tree snapshot when it is current
    // (tree_snapshots.hpp), from SQL otherwise; false: always from SQL.
    explicit Catalog(services::ServiceContext& ctx, bool library_update_id = false,
                     bool tree_snapshot = false);
    ~Catalog();
    Catalog(const Catalog&) = delete;
    Catalog& operator=(const Catalog&) = delete;

    // The snapshot's keeper; null when made without one.
    TreeSnapshots* snapshots() { return snapshots_.get(); }

    // The children of a container, `count` from `start` (count >= 1). Throws SoapFault 710 for
    // a track, 701 for a container that no row backs, 709 for a sort property it cannot use;
    // Error(kUnavailable) when the database is down. Any thread.
    Page children(const ObjectRef& ref, int64_t start, int64_t count,
                  const std::vector<SortKey>& sort);
    // The object itself; throws SoapFault 701 when nothing backs the id. update_id, when given,
    // gets the object's ContainerUpdateID (read in the same statement) if it is a container
    // whose changes are kept, else nullopt.
    Entry metadata(const ObjectRef& ref, std::optional<std::uint32_t>* update_id = nullptr);

    // Search (ContentDirectory:1 §2.7.5) below the container `scope` (search_scope.hpp):
    // tracks, or albums or artists when the criteria's upnp:class asks for them. Throws
    // SoapFault 708 for criteria it cannot read, 709 for the sort.
    Page search(const ObjectRef& scope, const std::string& criteria, int64_t start, int64_t count,
                const std::vector<SortKey>& sort);

  private:
    // scope: whose cursors (cursor_cache.hpp) the pages use and leave.
    // update_of: the container whose ContainerUpdateID the page reports ("" for none).
    Page run(const Listing& l, const std::string& container, int64_t start, int64_t count,
             const std::vector<SortKey>& sort, const std::string& scope,
             const std::string& update_of);
    Page folder_children(const ObjectRef& ref, int64_t start, int64_t count);
    // The statement's last column: its update id; nullopt when it is NULL and the SystemUpdateID
    // is the caller's (not library_update_id_).
    std::optional<std::uint32_t> update_id_in(const db::Result& r, bool keeps) const;
    Entry folder_metadata(const ObjectRef& ref);
    services::ServiceContext& ctx_;
    bool library_update_id_;
    CursorCache cursors_;
    std::unique_ptr<TreeSnapshots> snapshots_;
};

}  // namespace sonique::dlna
