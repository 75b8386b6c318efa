#pragma once
// What Sonique knows about artists, albums and songs beyond the catalog, in the OpenSubsonic
// shapes: artist info (Last.fm information written through PUT /api/artists/{id}/lastfm-info,
// similar artists of the artist_similar table), album info, similar songs, and the stored
// lyrics. One statement per answer; the scope limits everything as in SubsonicCatalog.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/json_text.hpp"
#include "services/context.hpp"
#include "services/subsonic_scope.hpp"

namespace sonique::services {

// A track's stored lyrics (tag or sidecar file) with its title and artist.
struct StoredLyrics {
    std::string artist, title;
    std::optional<std::string> text;  // nullopt: the track has none
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down.
class SubsonicInfo {
  public:
    // `user`: whose stars, ratings and plays the songs carry (0: nobody).
    SubsonicInfo(ServiceContext& ctx, FolderScope scope, int64_t user = 0)
        : ctx_(ctx), scope_(std::move(scope)), user_(user) {}

    // artistInfo (id3: artistInfo2) of an artist, or of an album's or song's artist (`kind`
    // 'r' artist, 'l' album, 't' track): biography, musicBrainzId, lastFmUrl, image URLs, and up
    // to `count` similar artists, best weight first (`include_absent`: also those with nothing
    // in the scope). nullopt for no such entity in the scope.
    std::optional<JsonText> artist_info(char kind, int64_t id, int64_t count, bool include_absent,
                                        bool id3);
    // albumInfo: musicBrainzId and the album artist's Last.fm URL; nullopt for no such album.
    std::optional<JsonText> album_info(int64_t album);
    // {"song": [Child...]}: up to `count` songs similar to an artist's, album's or song's (the
    // entity given by kind as for artist_info); nullopt for no such entity in the scope.
    std::optional<JsonText> similar_songs(char kind, int64_t id, int64_t count);

    // The track's lyrics; nullopt for no such track in the scope.
    std::optional<StoredLyrics> lyrics_of(int64_t track);
    // getLyrics: the lyrics of a track whose title (and artist, when given) match whatever their
    // case; nullopt when none has lyrics.
    std::optional<StoredLyrics> find_lyrics(const std::string& artist, const std::string& title);

  private:
    ServiceContext& ctx_;
    FolderScope scope_;
    int64_t user_;
};

}  // namespace sonique::services
