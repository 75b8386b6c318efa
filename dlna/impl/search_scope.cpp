#include "search_scope.hpp"

#include "services/subsonic_folders.hpp"

namespace sonique::dlna {
namespace {

struct Builder {
    int first;
    std::vector<std::string>& values;
    // A placeholder for a bigint value.
    std::string id(int64_t v) {
        values.push_back(std::to_string(v));
        return "$" + std::to_string(first + static_cast<int>(values.size()) - 1) + "::bigint";
    }
    std::string text(std::string v) {
        values.push_back(std::move(v));
        return "$" + std::to_string(first + static_cast<int>(values.size()) - 1) + "::text";
    }
};

// The folder's path prefix ("/music/Ben Keys/"), "" when the id names no folder.
std::string folder_prefix(const std::string& folder, const std::vector<std::string>& roots) {
    auto ref = services::parse_folder_id(folder);
    if (!ref || ref->root < 1 || ref->root > static_cast<int64_t>(roots.size())) return "";
    std::string root = roots[static_cast<size_t>(ref->root - 1)];
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    if (root != "/") root += '/';
    return root + (ref->rel.empty() ? "" : ref->rel + "/");
}

std::string tracks_below(const ObjectRef& r, Builder& b, const std::vector<std::string>& roots) {
    switch (r.node) {
        case Node::kArtist:
            return "t.track_artist_id = " + b.id(r.artist);
        case Node::kArtistAlbum:
            return "t.track_artist_id = " + b.id(r.artist) + " AND t.album_id = " + b.id(r.album);
        case Node::kAlbumArtist:
            return "t.album_id IN (SELECT x.id FROM albums x WHERE x.album_artist_id = " +
                   b.id(r.artist) + ")";
        case Node::kAlbumArtistAlbum:
            return "t.album_id = " + b.id(r.album) +
                   " AND EXISTS (SELECT 1 FROM albums x WHERE x.id = t.album_id AND "
                   "x.album_artist_id = " +
                   b.id(r.artist) + ")";
        case Node::kAlbum:
            return "t.album_id = " + b.id(r.album);
        case Node::kGenre:
        case Node::kGenreArtist:
        case Node::kGenreArtistAlbum: {
            std::string c =
                "EXISTS (SELECT 1 FROM track_genres x WHERE x.track_id = t.id AND "
                "x.genre_id = " +
                b.id(r.genre) + ")";
            if (r.node != Node::kGenre) c += " AND t.track_artist_id = " + b.id(r.artist);
            if (r.node == Node::kGenreArtistAlbum) c += " AND t.album_id = " + b.id(r.album);
            return c;
        }
        case Node::kPlaylists:
            return "t.id IN (SELECT e.track_id FROM playlist_entries e JOIN playlists p ON p.id = "
                   "e.playlist_id WHERE p.public)";
        case Node::kPlaylist:
            return "t.id IN (SELECT e.track_id FROM playlist_entries e JOIN playlists p ON p.id = "
                   "e.playlist_id WHERE p.public AND p.id = " +
                   b.id(r.playlist) + ")";
        case Node::kRecent:
            // The same 200 newest ids Recently Added lists.
            return "t.id IN (SELECT x.id FROM tracks x ORDER BY x.id DESC LIMIT 200)";
        case Node::kFolder: {
            std::string prefix = folder_prefix(r.folder, roots);
            return prefix.empty() ? "false" : "starts_with(t.path, " + b.text(prefix) + ")";
        }
        default:  // the root, Music, Artists, Album Artists, Albums, Genres, Folders, All Tracks
            return "true";
    }
}

std::string albums_below(const ObjectRef& r, Builder& b) {
    switch (r.node) {
        case Node::kRoot:
        case Node::kMusic:
        case Node::kAlbums:
        case Node::kAlbumArtists:
        case Node::kArtists:
        case Node::kGenres:
            return "true";
        case Node::kAlbumArtist:
            return "al.album_artist_id = " + b.id(r.artist);
        case Node::kArtist:
            return "al.id IN (SELECT x.album_id FROM tracks x WHERE x.track_artist_id = " +
                   b.id(r.artist) + ")";
        case Node::kGenre:
        case Node::kGenreArtist: {
            std::string c =
                "al.id IN (SELECT t.album_id FROM track_genres x JOIN tracks t ON t.id = "
                "x.track_id WHERE x.genre_id = " +
                b.id(r.genre);
            if (r.node == Node::kGenreArtist) c += " AND t.track_artist_id = " + b.id(r.artist);
            return c + ")";
        }
        default:  // albums are not objects below tracks' lists, playlists or folders
            return "false";
    }
}

std::string artists_below(const ObjectRef& r, Builder& b) {
    switch (r.node) {
        case Node::kRoot:
        case Node::kMusic:
        case Node::kArtists:
        case Node::kAlbumArtists:  // the catalog searches m/aa's listing there
        case Node::kGenres:
            return "true";
        case Node::kGenre:
            return "ar.id IN (SELECT t.track_artist_id FROM track_genres x JOIN tracks t ON t.id = "
                   "x.track_id WHERE x.genre_id = " +
                   b.id(r.genre) + ")";
        default:
            return "false";
    }
}

}  // namespace

std::string search_scope(const ObjectRef& ref, SearchTarget target,
                         const std::vector<std::string>& music_roots, int first_param,
                         std::vector<std::string>& values) {
    Builder b{first_param, values};
    switch (target) {
        case SearchTarget::kTracks:
            return tracks_below(ref, b, music_roots);
        case SearchTarget::kAlbums:
            return albums_below(ref, b);
        case SearchTarget::kArtists:
            return artists_below(ref, b);
    }
    return "false";
}

}  // namespace sonique::dlna
