#pragma once
// The SQL fragments that every Subsonic catalog answer shares (subsonic_catalog.cpp defines
// them; subsonic_lists.cpp reuses them), so that a song or an album has the same fields in
// every method.
#include <string>

#include "services/subsonic_scope.hpp"

namespace sonique::services {

// A timestamp column as the spec's ISO 8601 text in UTC.
#define SONIQUE_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

// A track as a Child. Aliases: t (tracks), ar (its artist), al (its album, may be null), aa
// (the album's artist, may be null).
extern const std::string kSubsonicSongJson;
// An album as AlbumID3 plus `extra` pairs. Aliases: al, aa, s (kSubsonicAlbumStats).
std::string subsonic_album_json(const std::string& extra);
// An album as a Child with isDir (getAlbumList, search2): the non-ID3 shape, its parent the
// album artist. Aliases as for subsonic_album_json.
extern const std::string kSubsonicAlbumChildJson;
// " LEFT JOIN LATERAL ... s": an album's song count, duration and first genre.
extern const char* const kSubsonicAlbumStats;

// The scope's conditions (subsonic_scope.cpp): "true" for every root, else a path-prefix test
// with the roots as SQL literals (no parameter: each statement keeps its own numbering).
// A track whose path column is `path` lies under one of the roots:
std::string scope_track_sql(const FolderScope& scope, const std::string& path);
// The album whose id column is `album_id` has a track under one of the roots:
std::string scope_album_sql(const FolderScope& scope, const std::string& album_id);
// The artist whose id column is `artist_id` has a track, or an album with a track, there:
std::string scope_artist_sql(const FolderScope& scope, const std::string& artist_id);
// The artist has an album with a track there (the album artists of getArtists):
std::string scope_album_artist_sql(const FolderScope& scope, const std::string& artist_id);

}  // namespace sonique::services
