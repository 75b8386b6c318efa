#include "object_ids.hpp"

#include "core/strings.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::dlna {
namespace {

// A row id as written in an id: digits, no sign, no leading zero, positive.
std::optional<int64_t> row_id(std::string_view s) {
    if (s.empty() || s.size() > 18 || s[0] == '0') return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    return parse_int(s);
}

struct Fixed {
    std::string_view id;
    Node node;
    std::string_view title;
};
constexpr Fixed kFixed[] = {
    {"m/ar", Node::kArtists, "Artists"},       {"m/aa", Node::kAlbumArtists, "Album Artists"},
    {"m/al", Node::kAlbums, "Albums"},         {"m/ge", Node::kGenres, "Genres"},
    {"m/fo", Node::kFolders, "Folders"},       {"m/pl", Node::kPlaylists, "Playlists"},
    {"m/all", Node::kAllTracks, "All Tracks"}, {"m/new", Node::kRecent, "Recently Added"},
};

// Parses a container id (no track part).
std::optional<ObjectRef> parse_container(std::string_view id) {
    ObjectRef r;
    r.container = std::string(id);
    if (id == "0") return r;
    if (id == "m") {
        r.node = Node::kMusic;
        return r;
    }
    for (const auto& f : kFixed)
        if (id == f.id) {
            r.node = f.node;
            return r;
        }
    auto parts = split(id, '/');
    if (parts.size() < 3 || parts[0] != "m") return std::nullopt;
    const std::string& kind = parts[1];
    if (kind == "fo") {
        if (parts.size() != 3 || !services::parse_folder_id(parts[2])) return std::nullopt;
        r.node = Node::kFolder;
        r.folder = parts[2];
        return r;
    }
    std::vector<int64_t> ids;
    for (size_t i = 2; i < parts.size(); ++i) {
        auto v = row_id(parts[i]);
        if (!v) return std::nullopt;
        ids.push_back(*v);
    }
    auto n = ids.size();
    if (kind == "ar" && n <= 2) {
        r.node = n == 1 ? Node::kArtist : Node::kArtistAlbum;
        r.artist = ids[0];
        if (n == 2) r.album = ids[1];
    } else if (kind == "aa" && n <= 2) {
        r.node = n == 1 ? Node::kAlbumArtist : Node::kAlbumArtistAlbum;
        r.artist = ids[0];
        if (n == 2) r.album = ids[1];
    } else if (kind == "al" && n == 1) {
        r.node = Node::kAlbum;
        r.album = ids[0];
    } else if (kind == "ge" && n <= 3) {
        r.node = n == 1 ? Node::kGenre : n == 2 ? Node::kGenreArtist : Node::kGenreArtistAlbum;
        r.genre = ids[0];
        if (n >= 2) r.artist = ids[1];
        if (n == 3) r.album = ids[2];
    } else if (kind == "pl" && n == 1) {
        r.node = Node::kPlaylist;
        r.playlist = ids[0];
    } else {
        return std::nullopt;
    }
    return r;
}

// True for containers whose children are tracks.
bool holds_tracks(Node n) {
    switch (n) {
        case Node::kArtistAlbum:
        case Node::kAlbumArtistAlbum:
        case Node::kAlbum:
        case Node::kGenreArtistAlbum:
        case Node::kFolder:
        case Node::kPlaylist:
        case Node::kAllTracks:
        case Node::kRecent:
            return true;
        default:
            return false;
    }
}

}  // namespace

std::optional<ObjectRef> parse_object_id(std::string_view id) {
    if (id.empty() || id.size() > 1024) return std::nullopt;
    auto slash = id.rfind('/');
    if (slash != std::string_view::npos && id.substr(slash + 1).starts_with("t")) {
        auto track = row_id(id.substr(slash + 2));
        if (!track) return std::nullopt;
        auto r = parse_container(id.substr(0, slash));
        if (!r || !holds_tracks(r->node)) return std::nullopt;
        r->track = track;
        return r;
    }
    return parse_container(id);
}

std::string parent_of(const ObjectRef& r) {
    if (r.track) return r.container;
    switch (r.node) {
        case Node::kRoot:
            return "-1";
        case Node::kMusic:
            return "0";
        case Node::kFolder: {
            auto f = services::parse_folder_id(r.folder);
            if (!f || f->rel.empty()) return "m/fo";
            auto slash = f->rel.rfind('/');
            return "m/fo/" + services::folder_id(f->root, slash == std::string::npos
                                                              ? std::string()
                                                              : f->rel.substr(0, slash));
        }
        default:
            break;
    }
    auto slash = r.container.rfind('/');
    return slash == 1 ? "m" : r.container.substr(0, slash);
}

std::string track_object_id(const std::string& container, int64_t track) {
    return container + "/t" + std::to_string(track);
}

std::string_view fixed_title(Node node) {
    if (node == Node::kRoot) return "Sonique";
    if (node == Node::kMusic) return "Music";
    for (const auto& f : kFixed)
        if (f.node == node) return f.title;
    return "";
}

std::vector<std::string> fixed_children(Node node) {
    if (node == Node::kRoot) return {"m"};
    std::vector<std::string> out;
    if (node == Node::kMusic)
        for (const auto& f : kFixed)
            out.emplace_back(f.id);
    return out;
}

}  // namespace sonique::dlna
