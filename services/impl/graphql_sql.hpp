#pragma once
// Constant SQL of the library GraphQL schema. Column order is what graphql_rows.cpp reads.
// Each entity has at most one cover (UNIQUE (entity_type, entity_id)), so covers come from a
// LEFT JOIN on the entity's own query: no extra round trip.

// ISO-8601 in UTC with microseconds and an offset, whatever the session time zone.
#define GQL_TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
#define GQL_COVER_COLS \
    "cv.id, cv.mime_type, " GQL_TS("cv.date_added") ", " GQL_TS("cv.date_modified")

#define GQL_ARTIST_SELECT                                                                      \
    "SELECT a.id, a.name, a.musicbrainz_artistid, " GQL_TS("a.date_added") ", " GQL_TS(        \
        "a.date_modified") ", " GQL_COVER_COLS                                                 \
                           " FROM artists a LEFT JOIN covers cv ON cv.entity_type = 'artist' " \
                           "AND cv.entity_id = a.id "

#define GQL_ALBUM_SELECT                                                                       \
    "SELECT al.id, al.title, al.album_artist_id, al.release_year, "                            \
    "al.musicbrainz_albumid, " GQL_TS("al.date_added") ", " GQL_TS(                            \
        "al.date_modified") ", " GQL_COVER_COLS                                                \
                            " FROM albums al LEFT JOIN covers cv ON cv.entity_type = 'album' " \
                            "AND cv.entity_id = al.id "

// Track columns alone (22), then audio features (13) and the cover (4) in the full form.
#define GQL_TRACK_COLS                                                                         \
    "t.id, t.title, t.path, t.track_artist_id, t.album_id, t.duration, t.track_number, "       \
    "t.disc_number, t.year, t.genre, t.file_type, t.bitrate, t.featured_artists, "             \
    "t.musicbrainz_id, t.musicbrainz_albumid, t.musicbrainz_artistid, "                        \
    "t.musicbrainz_albumartistid, t.acoustid_fingerprint, t.file_mtime, t.file_size, " GQL_TS( \
        "t.date_added") ", " GQL_TS("t.date_modified")
#define GQL_TRACK_LIGHT "SELECT " GQL_TRACK_COLS " FROM tracks t "
#define GQL_TRACK_FULL                                                                         \
    "SELECT " GQL_TRACK_COLS                                                                   \
    ", af.bpm, af.key, af.scale, af.danceability, af.mood_happy, af.mood_aggressive, "         \
    "af.mood_party, af.mood_relaxed, af.instrumental, af.acoustic, af.tonal, af.camelot_key, " \
    "af.genre_main, " GQL_COVER_COLS                                                           \
    " FROM tracks t LEFT JOIN audio_features af ON af.track_id = t.id "                        \
    "LEFT JOIN covers cv ON cv.entity_type = 'track' AND cv.entity_id = t.id "
