#pragma once
// The SQL fragments that every Subsonic catalog answer shares (subsonic_catalog.cpp defines
// them; subsonic_lists.cpp reuses them), so that a song or an album has the same fields in
// every method.
#include <string>

#include "services/subsonic_scope.hpp"

namespace sonique::services {

// A timestamp column as the spec's ISO 8601 text in UTC.
#define SONIQUE_ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

// The user whose stars, ratings and plays the fragments show is named "$U" in them:
// with_user(sql, n) makes it the statement's parameter $n (the caller adds the user's id as that
// parameter; 0 is nobody, for answers without per-user fields).
std::string with_user(const std::string& sql, size_t n);
// The id getCoverArt answers an entity's own stored cover for ('coverArt'), NULL when it has none:
// `type` 'album', 'artist' or 'track', `prefix` its id's prefix, `id` the SQL of its id.
#define SONIQUE_COVER_ART_ID(type, prefix, id)                                 \
    "(CASE WHEN EXISTS (SELECT 1 FROM covers cv WHERE cv.entity_type = '" type \
    "' AND "                                                                   \
    "cv.entity_id = " id " AND cv.image_id IS NOT NULL) THEN '" prefix "' || " id " END)"

// The spec's averageRating (Child): every user's rating of the entity whose id is `id`, averaged
// and rounded to two decimals; NULL (left out) when nobody rated it. `table` is user_track_data
// or user_album_data, `column` its entity column (indexed).
#define SONIQUE_AVERAGE_RATING(table, column, id)                                       \
    "(SELECT round(avg(r.rating), 2)::float8 FROM " table " r WHERE r." column " = " id \
    " AND "                                                                             \
    "r.rating IS NOT NULL)"

// A track as a Child. Aliases: t (tracks), ar (its artist), al (its album, may be null), aa
// (the album's artist, may be null). Per-user fields of "$U".
extern const std::string kSubsonicSongJson;
// The same object for a page of songs whose ids are the bigint[] expression `ids` (a full sync's
// search3 pages): the lists (genres, artists, moods, every user's ratings) are aggregated once
// over the page and the single rows joined by primary key, instead of eleven subqueries per
// song. Needs subsonic_song_page_joins(ids) after the joins of t, ar, al and aa.
extern const std::string kSubsonicSongPageJson;
// " LEFT JOIN ...": the joins kSubsonicSongPageJson reads (aliases sp_genres, sp_artists,
// sp_moods, sp_rating, d, f, v, l), "$U"'s user data among them.
std::string subsonic_song_page_joins(const std::string& ids);
// An album as AlbumID3 plus `extra` pairs. Aliases: al, aa, s (subsonic_album_stats).
std::string subsonic_album_json(const std::string& extra);
// An album as a Child with isDir (getAlbumList, search2): the non-ID3 shape, its parent the
// album artist. Aliases as for subsonic_album_json.
extern const std::string kSubsonicAlbumChildJson;
// " LEFT JOIN LATERAL ... s": an album's song count, duration and first genre, of its songs
// inside `scope` (an album whose songs lie in two roots counts, to a user who sees one, the
// songs it shows); and ua, the user_album_data row of "$U" (may be null).
std::string subsonic_album_stats(const FolderScope& scope);
// An artist as ArtistID3 (alias a), with "$U"'s star.
extern const std::string kSubsonicArtistJson;
// An artist as Artist (search2, getStarred; alias a), with "$U"'s star and rating.
extern const std::string kSubsonicArtistChildJson;

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

// Whether the now_playing row `np` is shown by getNowPlaying (playback_report.cpp); `duration_s`
// is its song's duration in seconds (may be null). A scrobble's report: until the song's
// duration has passed, plus a minute (ten minutes without a duration). A playbackReport's:
// playing, until its estimated end plus a minute; starting or paused, 30 minutes after the
// report; stopped, never.
std::string now_playing_shown_sql(const std::string& np, const std::string& duration_s);
// The row's position in ms now (bigint): while playing, moved on by the rate since the report,
// at most the song's duration; NULL for a scrobble's report.
std::string now_playing_position_sql(const std::string& np, const std::string& duration_s);

}  // namespace sonique::services
