#pragma once
// ContentDirectory object ids: paths of the tree, so that an id names its parent and stays the
// same across rescans (built from the catalog's row ids, which rescans keep, and from the
// folder ids of services/subsonic_folders.hpp, which are paths). docs/dlna.md lists them.
//   0                       root             m            Music
//   m/ar  m/ar/<a>  m/ar/<a>/<b>             artists, an artist's albums, their tracks
//   m/aa  m/aa/<a>  m/aa/<a>/<b>             album artists, their albums, tracks
//   m/al  m/al/<b>                           albums, tracks
//   m/ge  m/ge/<g>  m/ge/<g>/<a>  m/ge/<g>/<a>/<b>   genres, artists, albums, tracks
//   m/fo  m/fo/<folder id>                   library roots, a folder's subfolders and tracks
//   m/pl  m/pl/<p>                           public playlists, their tracks
//   m/all  m/new                             every track, the newest tracks
// A track is its container's id + "/t<track id>".
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::dlna {

enum class Node {
    kRoot,
    kMusic,
    kArtists,
    kArtist,
    kArtistAlbum,
    kAlbumArtists,
    kAlbumArtist,
    kAlbumArtistAlbum,
    kAlbums,
    kAlbum,
    kGenres,
    kGenre,
    kGenreArtist,
    kGenreArtistAlbum,
    kFolders,
    kFolder,
    kPlaylists,
    kPlaylist,
    kAllTracks,
    kRecent,
};

struct ObjectRef {
    Node node = Node::kRoot;  // the container (the item's container for a track)
    std::string container;    // the container's id
    int64_t artist = 0, album = 0, genre = 0, playlist = 0;
    std::string folder;  // "fo-<root>-<base64url>" for kFolder
    std::optional<int64_t> track;
};

// nullopt for anything that is not an id of the tree (never throws). Any thread.
std::optional<ObjectRef> parse_object_id(std::string_view id);
// The id of the container's parent ("-1" for the root).
std::string parent_of(const ObjectRef& ref);
// The item id of a track in a container.
std::string track_object_id(const std::string& container, int64_t track);
// The fixed containers' titles ("Artists", ...); "" for the others.
std::string_view fixed_title(Node node);
// The children of the fixed containers 0 and m, in order.
std::vector<std::string> fixed_children(Node node);

}  // namespace sonique::dlna
