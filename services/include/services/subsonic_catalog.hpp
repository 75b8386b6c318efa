#pragma once
// The catalog in the OpenSubsonic shapes (ArtistsID3, ArtistWithAlbumsID3, AlbumID3WithSongs,
// Child), as JSON built by PostgreSQL in one statement per answer; the subsonic layer writes it
// as XML or JSON. Ids are strings that tell kinds apart: "ar-<id>", "al-<id>", "tr-<id>"
// (subsonic/impl/ids.hpp parses them). Null fields are left out; lists are arrays.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/json_text.hpp"
#include "services/context.hpp"
#include "services/subsonic_scope.hpp"

namespace sonique::services {

// The getAlbumList(2) types; the last four are the user's (starred, rated, played).
enum class AlbumListType {
    kRandom,
    kNewest,
    kByName,
    kByArtist,
    kByYear,
    kByGenre,
    kStarred,   // starred, the latest star first
    kHighest,   // rated, the best first, then by title
    kFrequent,  // played, the most played first, then the latest play
    kRecent,    // played, the latest play first
};

struct AlbumListQuery {
    AlbumListType type = AlbumListType::kNewest;
    int64_t size = 10;   // the caller bounds it (0..500)
    int64_t offset = 0;  // >= 0
    int from_year = 0;   // kByYear: from > to lists the years in reverse order
    int to_year = 0;
    std::string genre;  // kByGenre: a genre's name, whatever its case
    bool id3 = true;    // AlbumID3 (getAlbumList2) or Child with isDir (getAlbumList)
};

// search2/search3: every count and offset bounded by the caller; an empty text matches all.
struct SearchQuery {
    std::string text;  // matched inside names and titles, whatever its case
    int64_t artist_count = 20, artist_offset = 0;
    int64_t album_count = 20, album_offset = 0;
    int64_t song_count = 20, song_offset = 0;
    bool id3 = true;  // ArtistID3/AlbumID3 (search3) or Artist/Child (search2)
};

// getRandomSongs (random order, `size` songs) and getSongsByGenre (by id, paged).
struct SongListQuery {
    bool random = true;
    int64_t size = 10;
    int64_t offset = 0;                // getSongsByGenre
    std::optional<std::string> genre;  // a genre's name, whatever its case
    std::optional<int> from_year, to_year;
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down. Songs, albums and artists carry `user`'s stars, ratings and plays
// (starred, userRating, playCount, played); user 0 is nobody (cover look-ups need none).
class SubsonicCatalog {
  public:
    // `user`: whose stars, ratings and plays the answers carry (0: nobody). Every answer covers
    // the scope's roots only: an entity outside it is "no such entity".
    explicit SubsonicCatalog(ServiceContext& ctx, int64_t user = 0, FolderScope scope = {})
        : ctx_(ctx), user_(user), scope_(std::move(scope)) {}

    // {"ignoredArticles": "...", "index": [{"name": "A", "artist": [ArtistID3...]}]}: the
    // album artists, indexed by the first letter of their sort name without a leading article.
    JsonText artists();
    // {"genre": [{"songCount", "albumCount", "value": name}]}: every genre by name whatever its
    // case, its songs and their albums counted in the scope (subsonic_genres.cpp).
    JsonText genres();
    // ArtistWithAlbumsID3 ("album": its albums by year then title); nullopt for no such artist.
    std::optional<JsonText> artist(int64_t id);
    // AlbumID3WithSongs ("song": by disc, track number, id); nullopt for no such album.
    std::optional<JsonText> album(int64_t id);
    // Cheap look-ups for covers, no JSON built: whether the album or artist exists, and a
    // track's album (0 when it has none; nullopt for no such track).
    bool album_exists(int64_t id);
    bool artist_exists(int64_t id);
    // Whether the track lies in the catalog's scope (stream and download of a user restricted
    // to some music folders); false for no such track.
    bool track_visible(int64_t id);
    std::optional<int64_t> album_of_track(int64_t track);
    // Child; nullopt for no such track.
    std::optional<JsonText> song(int64_t id);
    // {"album": [...]}: one page of albums in the query's order (subsonic_lists.cpp).
    JsonText album_list(const AlbumListQuery& q);
    // {"artist": [...], "album": [...], "song": [...]}, each ordered by id so that paging
    // through the whole library with an empty text stays as fast at the end as at the start
    // (subsonic_search.cpp).
    JsonText search(const SearchQuery& q);
    // {"song": [Child...]} (subsonic_search.cpp).
    JsonText songs(const SongListQuery& q);

    // The user's starred artists, albums and songs, the latest star first: {"artist": [...],
    // "album": [...], "song": [...]} as starred2 (ArtistID3, AlbumID3) when id3, else as
    // starred (Artist, Child with isDir) (subsonic_starred.cpp).
    JsonText starred(bool id3);
    // {"song": [Child...]}: up to `count` songs of the artist named `artist` (whatever its case;
    // as track artist or credited artist), by their play count summed over every user, then by
    // title whatever its case, then id. No such artist: an empty list.
    JsonText top_songs(const std::string& artist, int64_t count);
    // The same for the artist whose id is `artist_id` (the topSongsByArtistId extension). Throws
    // Error (not_found) when no such artist has something in the user's folders.
    JsonText top_songs_by_id(int64_t artist_id, int64_t count);
    // {"entry": [NowPlayingEntry...]}: what every user's players reported playing (scrobble
    // with submission=false, or reportPlayback with its state, position and rate), the latest
    // first, without entries past their song's end plus a minute, nor stopped or stale playback
    // reports (subsonic_starred.cpp, playback_report.cpp).
    JsonText now_playing();

  private:
    ServiceContext& ctx_;
    int64_t user_;
    FolderScope scope_;
};

}  // namespace sonique::services
