// The listings of the tree. Orders follow the indexes of migration 0001 (tracks_album_order,
// albums_artist_year, albums_title, artists_name_ci), so that a page is read from an index.
#include "listing.hpp"

#include <stdexcept>

namespace sonique::dlna {
namespace {

// A cover that is stored (an image row): the album's, else the track's. OFFSET 0 keeps each
// EXISTS a lookup in covers' (entity_type, entity_id) key for each row: without it PostgreSQL
// chose a hashed subplan, a read of every cover on each statement (0.3 ms of a 0.44 ms album
// page at 2,000 covers, most of PostgreSQL's time over bench/dlna's crawl).
constexpr const char* kAlbumArt =
    "CASE WHEN EXISTS (SELECT 1 FROM covers c WHERE c.entity_type = 'album' AND c.entity_id = "
    "al.id AND c.image_id IS NOT NULL OFFSET 0) THEN 'album-' || al.id END";

const char* kAlbumCount = "(SELECT count(*) FROM tracks c WHERE c.album_id = al.id)";

Listing tracks_where(std::string where, std::string order, std::vector<int64_t> ids) {
    Listing l;
    l.tracks = true;
    l.count_from = "tracks t";
    l.where = std::move(where);
    l.order = std::move(order);
    l.ids = std::move(ids);
    l.filter_key = "t.id";
    return l;
}

constexpr const char* kAlbumOrder = "t.disc_no, t.track_no, t.id";

Listing artists(std::string where, std::vector<int64_t> ids, std::string count) {
    Listing l;
    l.from = l.count_from = "artists ar";
    l.where = std::move(where);
    // lower(name) is unique (artists_name_ci): it orders alone and is the keyset.
    l.order = "lower(ar.name)";
    l.keys = {{"lower(ar.name)", "text"}};
    l.filter_key = "ar.id";
    l.key = "ar.id::text";
    l.title = "ar.name";
    l.count = std::move(count);
    l.kind = "artist";
    l.ids = std::move(ids);
    return l;
}

Listing albums(std::string where, std::string order, std::vector<int64_t> ids) {
    Listing l;
    l.from = "albums al JOIN artists aa ON aa.id = al.album_artist_id";
    l.count_from = "albums al";
    l.where = std::move(where);
    l.order = std::move(order);
    l.filter_key = "al.id";
    l.key = "al.id::text";
    l.title = "al.title";
    l.artist = "aa.name";
    l.date = "al.release_year";
    l.art = kAlbumArt;
    l.count = kAlbumCount;
    l.kind = "album";
    l.ids = std::move(ids);
    return l;
}

}  // namespace

const char* const kTrackJoins =
    "JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums al ON al.id = t.album_id "
    "LEFT JOIN artists aa ON aa.id = al.album_artist_id";

const char* const kTrackColumns =
    "t.id, t.title, ar.name, al.title, aa.name, t.genre, t.year, t.track_no, t.duration, "
    "t.file_type, t.path, t.file_size, t.bitrate, t.sample_rate, t.channels, t.bit_depth, "
    "CASE WHEN EXISTS (SELECT 1 FROM covers c WHERE c.entity_type = 'album' AND c.entity_id = "
    "t.album_id AND c.image_id IS NOT NULL OFFSET 0) THEN 'album-' || t.album_id WHEN EXISTS "
    "(SELECT 1 FROM covers c WHERE c.entity_type = 'track' AND c.entity_id = t.id AND "
    "c.image_id IS NOT NULL OFFSET 0) THEN 'track-' || t.id END";

Listing listing_for(const ObjectRef& r) {
    switch (r.node) {
        case Node::kArtists:
            return artists("EXISTS (SELECT 1 FROM tracks x WHERE x.track_artist_id = ar.id)", {},
                           "(SELECT count(DISTINCT x.album_id) FROM tracks x WHERE "
                           "x.track_artist_id = ar.id)");
        case Node::kArtist:
            // ARRAY(...): the artist's album ids once, then read by albums' primary key (an
            // IN subquery let the generic plan hash-join every album).
            return albums(
                "al.id = ANY (ARRAY(SELECT x.album_id FROM tracks x WHERE x.track_artist_id = "
                "$3))",
                "al.release_year, lower(al.title), al.id", {r.artist});
        case Node::kArtistAlbum:
            return tracks_where("t.track_artist_id = $3 AND t.album_id = $4", kAlbumOrder,
                                {r.artist, r.album});
        case Node::kAlbumArtists:
            return artists("EXISTS (SELECT 1 FROM albums x WHERE x.album_artist_id = ar.id)", {},
                           "(SELECT count(*) FROM albums x WHERE x.album_artist_id = ar.id)");
        case Node::kAlbumArtist:
            return albums("al.album_artist_id = $3", "al.release_year, lower(al.title), al.id",
                          {r.artist});
        case Node::kAlbumArtistAlbum:
            return tracks_where(
                "t.album_id = $3 AND EXISTS (SELECT 1 FROM albums x WHERE x.id = "
                "$3 AND x.album_artist_id = $4)",
                kAlbumOrder, {r.album, r.artist});
        case Node::kAlbums: {
            // Every album: scans delete the albums left without tracks (scan_writer.cpp).
            Listing l = albums("true", "lower(al.title), al.id", {});
            l.total = "SELECT sonique_row_count('albums') AS total";
            l.keys = {{"lower(al.title)", "text"}, {"al.id", "bigint"}};  // albums_title
            return l;
        }
        case Node::kAlbum:
            return tracks_where("t.album_id = $3", kAlbumOrder, {r.album});
        case Node::kGenres: {
            // Each genre's artist count from one grouped pass over track_genres (a hash join
            // and a hashed DISTINCT, ~25 ms at 20,000 tracks): a count(DISTINCT ...) subquery
            // per genre joined every track again for each genre (~0.3-0.7 s a page).
            Listing l;
            l.from =
                "genres g LEFT JOIN (SELECT d.genre_id, count(*) AS n FROM (SELECT DISTINCT "
                "x.genre_id, t.track_artist_id FROM track_genres x JOIN tracks t ON t.id = "
                "x.track_id) d GROUP BY d.genre_id) gc ON gc.genre_id = g.id";
            l.count_from = "genres g";
            l.where = "EXISTS (SELECT 1 FROM track_genres x WHERE x.genre_id = g.id)";
            l.order = "lower(g.name), g.id";
            l.filter_key = "g.id";
            l.key = "g.id::text";
            l.title = "g.name";
            l.count = "coalesce(gc.n, 0)";
            l.kind = "genre";
            return l;
        }
        case Node::kGenre:
            // ARRAY(...): the genre's artist ids worked out once, not again for each artist
            // the page's index scan meets (a nested semi join in the generic plan: ~50 ms a
            // page at 20,000 tracks). Each of the genre's tracks is read by primary key and the
            // ids made distinct: a hash join read every track (~10 ms), and `= ANY` compared
            // each artist with every one of the genre's tracks (~2,000) rather than its ~100
            // artists (both twice a page: the total and the page; now ~2.5 ms each).
            return artists(
                "ar.id = ANY (ARRAY(SELECT DISTINCT (SELECT t.track_artist_id FROM tracks t "
                "WHERE t.id = x.track_id) FROM track_genres x WHERE x.genre_id = $3))",
                {r.genre}, "NULL");
        case Node::kGenreArtist:
            // The artist's tracks (tracks_artist), each checked against the genre by
            // track_genres' primary key: the generic plan joined every track of the genre (2,000
            // of 20,000) instead, twice (the total and the page), 0.5 ms a page. OFFSET 0 keeps
            // the check a per-track lookup; ARRAY(...) reads the albums by their primary key.
            return albums(
                "al.id = ANY (ARRAY(SELECT t.album_id FROM tracks t WHERE t.track_artist_id = $4 "
                "AND EXISTS (SELECT 1 FROM track_genres x WHERE x.track_id = t.id AND x.genre_id "
                "= $3 OFFSET 0)))",
                "al.release_year, lower(al.title), al.id", {r.genre, r.artist});
        case Node::kGenreArtistAlbum:
            return tracks_where(
                "t.album_id = $5 AND t.track_artist_id = $4 AND EXISTS (SELECT 1 "
                "FROM track_genres x WHERE x.track_id = t.id AND x.genre_id = $3)",
                kAlbumOrder, {r.genre, r.artist, r.album});
        case Node::kPlaylists: {
            Listing l;
            l.from = l.count_from = "playlists p";
            l.where = "p.public";
            l.order = "lower(p.name), p.id";
            l.filter_key = "p.id";
            l.key = "p.id::text";
            l.title = "p.name";
            l.count = "(SELECT count(*) FROM playlist_entries x WHERE x.playlist_id = p.id)";
            l.kind = "playlist";
            return l;
        }
        case Node::kPlaylist: {
            Listing l = tracks_where(
                "e.playlist_id = $3 AND EXISTS (SELECT 1 FROM playlists p WHERE p.id = $3 AND "
                "p.public)",
                "e.position", {r.playlist});
            l.keys = {{"e.position", "bigint"}};
            l.count_from = "playlist_entries e JOIN tracks t ON t.id = e.track_id";
            l.from = "playlist_entries e JOIN tracks t ON t.id = e.track_id";
            return l;
        }
        case Node::kAllTracks: {
            Listing l = tracks_where("true", "t.id", {});
            l.keys = {{"t.id", "bigint"}};
            l.total = "SELECT sonique_row_count('tracks') AS total";
            return l;
        }
        case Node::kRecent: {
            // Track ids grow with each file a scan adds and survive rescans: the newest ids are
            // the recently added tracks, read backwards from the primary key.
            Listing l = tracks_where("true", "t.id DESC", {});
            l.cap = 200;
            return l;
        }
        default:
            break;
    }
    throw std::logic_error("listing_for: not a listed container");
}

std::optional<std::string> sort_expression(const std::string& p, const Listing& l) {
    if (!l.tracks) {
        if (p == "dc:title") return "lower(" + l.title + ")";
        if ((p == "upnp:artist" || p == "dc:creator") && l.artist != "NULL")
            return "lower(" + l.artist + ")";
        if (p == "dc:date" && l.date != "NULL") return l.date;
        return std::nullopt;
    }
    if (p == "dc:title") return "lower(t.title)";
    if (p == "upnp:artist" || p == "dc:creator") return "lower(ar.name)";
    if (p == "upnp:album") return "lower(al.title)";
    if (p == "dc:date") return "t.year";
    if (p == "upnp:originalTrackNumber") return "t.track_no";
    if (p == "upnp:genre") return "lower(t.genre)";
    return std::nullopt;
}

}  // namespace sonique::dlna
