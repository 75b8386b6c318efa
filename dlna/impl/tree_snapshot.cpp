// Answering Browse from the tree snapshot: the same listings as listing.cpp's statements, row
// for row and field for field (test DlnaSnapshot walks both and compares the DIDL bytes).
#include "tree_snapshot.hpp"

#include <algorithm>

namespace sonique::dlna {
namespace {

template <typename V>
uint32_t find_id(const V& ids, int64_t id) {
    auto it = std::lower_bound(ids.begin(), ids.end(), std::make_pair(id, uint32_t{0}));
    return it != ids.end() && it->first == id ? it->second : TreeSnapshot::kNone;
}

}  // namespace

bool TreeSnapshot::holds(Node node) {
    switch (node) {
        case Node::kArtists:
        case Node::kArtist:
        case Node::kArtistAlbum:
        case Node::kAlbumArtists:
        case Node::kAlbumArtist:
        case Node::kAlbumArtistAlbum:
        case Node::kAlbums:
        case Node::kAlbum:
        case Node::kGenres:
        case Node::kGenre:
        case Node::kGenreArtist:
        case Node::kGenreArtistAlbum:
        case Node::kAllTracks:
        case Node::kRecent:
        case Node::kFolder:
            return true;
        default:
            return false;
    }
}

size_t TreeSnapshot::bytes() const {
    auto v = [](const auto& x) { return x.capacity() * sizeof(x[0]); };
    return sizeof(*this) + chars_.capacity() + pending_.capacity() + v(tracks_) + v(albums_) +
           v(artists_) + v(genres_) + v(album_ids_) + v(artist_ids_) + v(genre_ids_) +
           v(album_tracks_) + v(artist_tracks_) + v(aa_albums_) + v(genre_artists_) +
           v(track_genres_first_) + v(track_genres_) + v(track_artists_) + v(album_artists_) +
           v(genres_listed_) + v(updates_) + v(folders_) + v(root_folders_) + v(folder_subs_) +
           v(folder_tracks_);
}

uint32_t TreeSnapshot::track_index(int64_t id) const {
    auto it = std::lower_bound(tracks_.begin(), tracks_.end(), id,
                               [](const Track& t, int64_t v) { return t.id < v; });
    return it != tracks_.end() && it->id == id ? static_cast<uint32_t>(it - tracks_.begin())
                                               : kNone;
}
uint32_t TreeSnapshot::artist_index(int64_t id) const {
    return find_id(artist_ids_, id);
}
uint32_t TreeSnapshot::album_index(int64_t id) const {
    return find_id(album_ids_, id);
}
uint32_t TreeSnapshot::genre_index(int64_t id) const {
    return find_id(genre_ids_, id);
}

bool TreeSnapshot::track_in_genre(uint32_t t, uint32_t g) const {
    for (uint32_t i = track_genres_first_[t]; i < track_genres_first_[t + 1]; ++i)
        if (track_genres_[i] == g) return true;
    return false;
}

// The ContainerUpdateID's key: the node and the ids its id is made of.
TreeSnapshot::UpdateKey TreeSnapshot::key_of(const ObjectRef& ref) {
    UpdateKey k;
    k.node = static_cast<uint8_t>(ref.node);
    if (ref.node == Node::kAlbum) {
        k.a = ref.album;
    } else if (ref.node == Node::kGenre) {
        k.a = ref.genre;
    } else {
        k.a = ref.artist;
        k.b = ref.album;
    }
    return k;
}

std::uint32_t TreeSnapshot::container_update_id(const ObjectRef& ref) const {
    auto k = key_of(ref);
    auto it =
        std::lower_bound(updates_.begin(), updates_.end(), k, [](const auto& x, const auto& y) {
            return std::tie(x.node, x.a, x.b) < std::tie(y.node, y.a, y.b);
        });
    return it != updates_.end() && it->node == k.node && it->a == k.a && it->b == k.b
               ? it->update_id
               : 0;
}

std::optional<std::uint32_t> TreeSnapshot::update_id_for(const ObjectRef& ref, bool library) const {
    if (keeps_update_id(ref.node)) return container_update_id(ref);
    if (library) return static_cast<std::uint32_t>(generation_ % 4294967296LL);
    return std::nullopt;
}

// What the container lists, as listing_for's statement orders it; nullopt when a row it is
// made of is not in the snapshot.
std::optional<TreeSnapshot::List> TreeSnapshot::list(const ObjectRef& ref) const {
    List l;
    // The albums of these tracks, by (release_year, lower(title), id).
    auto albums_of = [&](auto&& keep, uint32_t artist) {
        const auto& a = artists_[artist];
        for (uint32_t i = a.first; i < a.first + a.n; ++i) {
            auto t = artist_tracks_[i];
            if (tracks_[t].album != kNone && keep(t)) l.rows.push_back(tracks_[t].album);
        }
        std::sort(l.rows.begin(), l.rows.end(), [&](uint32_t x, uint32_t y) {
            return albums_[x].year_rank < albums_[y].year_rank;
        });
        l.rows.erase(std::unique(l.rows.begin(), l.rows.end()), l.rows.end());
    };
    auto album_tracks = [&](uint32_t b, auto&& keep) {
        for (uint32_t i = albums_[b].first; i < albums_[b].first + albums_[b].n; ++i)
            if (keep(album_tracks_[i])) l.rows.push_back(album_tracks_[i]);
    };
    auto any = [](uint32_t) { return true; };
    switch (ref.node) {
        case Node::kArtists:
            l.kind = "artist";
            l.rows = track_artists_;
            return l;
        case Node::kAlbumArtists:
            l.kind = "artist";
            l.rows = album_artists_;
            return l;
        case Node::kAlbums:
            l.kind = "album";
            l.rows.resize(albums_.size());
            for (uint32_t b = 0; b < l.rows.size(); ++b)
                l.rows[b] = b;
            return l;
        case Node::kGenres:
            l.kind = "genre";
            l.rows = genres_listed_;
            return l;
        case Node::kAllTracks:
            l.all_tracks = true;
            return l;
        case Node::kRecent:
            l.recent = true;
            return l;
        default:
            break;
    }
    uint32_t artist = ref.artist ? artist_index(ref.artist) : kNone;
    uint32_t album = ref.album ? album_index(ref.album) : kNone;
    uint32_t genre = ref.genre ? genre_index(ref.genre) : kNone;
    switch (ref.node) {
        case Node::kArtist:
            if (artist == kNone) return std::nullopt;
            l.kind = "album";
            albums_of(any, artist);
            return l;
        case Node::kArtistAlbum:
            if (artist == kNone || album == kNone) return std::nullopt;
            album_tracks(album, [&](uint32_t t) { return tracks_[t].artist == artist; });
            return l;
        case Node::kAlbumArtist:
            if (artist == kNone) return std::nullopt;
            l.kind = "album";
            l.rows.assign(
                aa_albums_.begin() + artists_[artist].albums_first,
                aa_albums_.begin() + artists_[artist].albums_first + artists_[artist].albums);
            return l;
        case Node::kAlbumArtistAlbum:
            if (artist == kNone || album == kNone || albums_[album].artist != artist)
                return std::nullopt;
            album_tracks(album, any);
            return l;
        case Node::kAlbum:
            if (album == kNone) return std::nullopt;
            album_tracks(album, any);
            return l;
        case Node::kGenre:
            if (genre == kNone) return std::nullopt;
            l.kind = "artist";
            l.rows.assign(genre_artists_.begin() + genres_[genre].first,
                          genre_artists_.begin() + genres_[genre].first + genres_[genre].n);
            return l;
        case Node::kGenreArtist:
            if (genre == kNone || artist == kNone) return std::nullopt;
            l.kind = "album";
            albums_of([&](uint32_t t) { return track_in_genre(t, genre); }, artist);
            return l;
        case Node::kGenreArtistAlbum:
            if (genre == kNone || artist == kNone || album == kNone) return std::nullopt;
            album_tracks(album, [&](uint32_t t) {
                return tracks_[t].artist == artist && track_in_genre(t, genre);
            });
            return l;
        default:
            return std::nullopt;
    }
}

Entry TreeSnapshot::track_entry(uint32_t i, const std::string& container) const {
    const Track& t = tracks_[i];
    auto opt = [&](int32_t v, uint8_t bit) {
        return t.nulls & bit ? std::nullopt : std::optional<int64_t>(v);
    };
    Entry e;
    e.is_track = true;
    e.track_id = t.id;
    e.id = track_object_id(container, t.id);
    e.parent = container;
    e.title = str(t.title);
    e.artist = str(artists_[t.artist].name);
    if (t.album != kNone) {
        e.album = str(albums_[t.album].title);
        e.album_artist = str(albums_[t.album].artist_name);
    }
    e.genre = str(t.genre);
    e.date = str(t.year);
    e.track_no = opt(t.track_no, 1);
    e.duration_s = opt(t.duration, 2);
    e.file_type = str(t.file_type);
    e.path = str(t.ext);  // only its extension is read (didl.cpp's MIME type and profile)
    if (!(t.nulls & 4)) e.size = t.size;
    e.bitrate = opt(t.bitrate, 8);
    e.sample_rate = opt(t.sample_rate, 16);
    e.channels = opt(t.channels, 32);
    e.bit_depth = opt(t.bit_depth, 64);
    if (t.art == 1) e.art = "album-" + std::to_string(albums_[t.album].id);
    if (t.art == 2) e.art = "track-" + std::to_string(t.id);
    return e;
}

int64_t TreeSnapshot::key_of_row(const List& l, uint32_t row) const {
    if (l.kind == "artist") return artists_[row].id;
    if (l.kind == "album") return albums_[row].id;
    if (l.kind == "genre") return genres_[row].id;
    return tracks_[row].id;
}

Entry TreeSnapshot::container_entry(const List& l, uint32_t row,
                                    const std::string& container) const {
    Entry e;
    e.id = container + "/" + std::to_string(key_of_row(l, row));
    e.parent = container;
    e.kind = l.kind;
    if (l.kind == "artist") {
        const Artist& a = artists_[row];
        e.title = str(a.name);
        // Artists: the albums of their tracks; Album Artists: their albums; in a genre: none.
        if (container == "m/ar") e.child_count = a.distinct_albums;
        if (container == "m/aa") e.child_count = a.albums;
    } else if (l.kind == "album") {
        const Album& b = albums_[row];
        e.title = str(b.title);
        e.artist = str(b.artist_name);
        e.date = str(b.year);
        if (b.art) e.art = "album-" + std::to_string(b.id);
        e.child_count = b.n;
    } else {
        const Genre& g = genres_[row];
        e.title = str(g.name);
        e.child_count = g.n;
    }
    return e;
}

std::optional<Page> TreeSnapshot::children(const ObjectRef& ref, int64_t start, int64_t count,
                                           bool library) const {
    if (ref.track || !holds(ref.node)) return std::nullopt;
    if (ref.node == Node::kFolder) return folder_children(ref, start, count, library);
    auto l = list(ref);
    if (!l) return std::nullopt;
    int64_t total = l->all_tracks ? static_cast<int64_t>(tracks_.size())
                    : l->recent   ? std::min<int64_t>(200, static_cast<int64_t>(tracks_.size()))
                                  : static_cast<int64_t>(l->rows.size());
    // An empty listing may be a container that no row backs (fault 701): the SQL path knows.
    if (total == 0) return std::nullopt;
    Page p;
    p.total = total;
    p.update_id = update_id_for(ref, library);
    for (int64_t i = start; i < total && i < start + count; ++i) {
        auto at = static_cast<size_t>(i);
        if (l->all_tracks)
            p.entries.push_back(track_entry(static_cast<uint32_t>(at), ref.container));
        else if (l->recent)
            p.entries.push_back(
                track_entry(static_cast<uint32_t>(tracks_.size() - 1 - at), ref.container));
        else if (l->kind.empty())
            p.entries.push_back(track_entry(l->rows[at], ref.container));
        else
            p.entries.push_back(container_entry(*l, l->rows[at], ref.container));
    }
    return p;
}

std::optional<std::pair<Entry, std::optional<std::uint32_t>>> TreeSnapshot::metadata(
    const ObjectRef& ref, bool library) const {
    if (!holds(ref.node)) return std::nullopt;
    if (ref.node == Node::kFolder) {
        // Folders keep no update id, and their metadata answers none (the caller's).
        auto e = folder_metadata(ref);
        if (!e) return std::nullopt;
        return std::make_pair(std::move(*e), std::optional<std::uint32_t>());
    }
    if (ref.track) {
        // An item of a track listing: any track of it (Recently Added's too, past its 200, as
        // the SQL path's lookup finds them).
        uint32_t t = kNone;
        if (ref.node == Node::kAllTracks || ref.node == Node::kRecent) {
            t = track_index(*ref.track);
        } else if (auto l = list(ref); l && l->kind.empty()) {
            for (auto r : l->rows)
                if (tracks_[r].id == *ref.track) t = r;
        }
        if (t == kNone) return std::nullopt;
        // An item keeps no update id: the SystemUpdateID.
        std::optional<std::uint32_t> id;
        if (library) id = static_cast<std::uint32_t>(generation_ % 4294967296LL);
        return std::make_pair(track_entry(t, ref.container), id);
    }
    auto parent_id = parent_of(ref);
    auto parent = parse_object_id(parent_id);
    if (!parent || !holds(parent->node) || parent->node == Node::kRecent) return std::nullopt;
    auto l = list(*parent);
    if (!l || l->kind.empty()) return std::nullopt;
    int64_t key = ref.node == Node::kArtist || ref.node == Node::kAlbumArtist ||
                          ref.node == Node::kGenreArtist
                      ? ref.artist
                  : ref.node == Node::kGenre ? ref.genre
                                             : ref.album;
    for (auto r : l->rows)
        if (key_of_row(*l, r) == key)
            return std::make_pair(container_entry(*l, r, parent_id), update_id_for(ref, library));
    return std::nullopt;
}

}  // namespace sonique::dlna
