#pragma once
// What Sonique knows about artists, albums and songs beyond the catalog, in the OpenSubsonic
// shapes: artist info (Last.fm information written through PUT /api/artists/{id}/lastfm-info,
// similar artists of the artist_similar table), album info, similar songs, and the stored
// lyrics. One statement per answer; the scope limits everything as in SubsonicCatalog.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
    // entity given by kind as for artist_info); nullopt for no such entity in the scope. A song
    // with a sonic vector gets the songs nearest by sound; otherwise songs of the seed artist and
    // its similar artists (stored, or by sound when none is stored: docs/subsonic.md).
    std::optional<JsonText> similar_songs(char kind, int64_t id, int64_t count);

    // getSonicSimilarTracks: {"sonicMatch": [{"entry": Child, "similarity": 0..1}]}, up to
    // `count` songs nearest by sound, best first; an empty list when the song has no sonic
    // vector (not analysed yet); nullopt for no such song in the scope.
    std::optional<JsonText> sonic_similar(int64_t track, int64_t count);
    // findSonicPath: the same shape, a path of at most `count` songs from `from` to `to`
    // (SonicIndex::path; each similarity is to the song before, the first 1); empty when either
    // song has no sonic vector; nullopt when either is not a song in the scope.
    std::optional<JsonText> sonic_path(int64_t from, int64_t to, int64_t count);

    // The track's lyrics; nullopt for no such track in the scope.
    std::optional<StoredLyrics> lyrics_of(int64_t track);
    // getLyrics: the lyrics of a track whose title (and artist, when given) match whatever their
    // case; nullopt when none has lyrics.
    std::optional<StoredLyrics> find_lyrics(const std::string& artist, const std::string& title);

  private:
    // Artists similar to the seed's by sound, as PostgreSQL array texts (ids, weights); empty
    // arrays without a sonic index.
    std::pair<std::string, std::string> sonic_artists(char kind, int64_t id, int64_t count);
    // Songs near a track by sound, in scope, as {"song": [...]} or (matches) {"sonicMatch":
    // [...]}; nullopt when the track has no vector.
    std::optional<JsonText> sonic_songs(int64_t track, int64_t count, bool matches);
    // The ordered songs of ids with their similarity, those out of the scope left out, at most
    // `count`; nullopt when `must` (a song id) is not in the scope.
    JsonText ordered_songs(const std::vector<int64_t>& ids, const std::vector<double>& similarity,
                           int64_t count, bool matches);
    static constexpr int64_t kSonicArtists = 20;
    ServiceContext& ctx_;
    FolderScope scope_;
    int64_t user_;
};

}  // namespace sonique::services
