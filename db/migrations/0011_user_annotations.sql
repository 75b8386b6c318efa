-- Per-user library data of the OpenSubsonic API (issue 16): stars (with the time starred),
-- ratings (1-5; no row or NULL for none), play counts and the last play. A row belongs to its
-- user and its entity: it is deleted with either (ON DELETE CASCADE). Writes are single-statement
-- upserts (INSERT ... ON CONFLICT DO UPDATE with play_count = play_count + n), so concurrent
-- scrobbles of one song are all counted without any read-modify-write in the server.
-- An album's play count and last play are kept on the album itself, counted when one of its
-- songs is scrobbled (as Navidrome does): they survive a rescan that replaces its tracks.
-- Artists have no play count: neither Artist nor ArtistID3 carries one.
-- Never edit once landed: add a migration.
CREATE TABLE user_track_data (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    starred_at timestamptz,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    play_count bigint NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    played_at timestamptz,
    PRIMARY KEY (user_id, track_id)
);
-- Deleting a track finds its rows; getTopSongs sums its plays over users.
CREATE INDEX user_track_data_track ON user_track_data (track_id);
CREATE INDEX user_track_data_starred ON user_track_data (user_id, starred_at)
    WHERE starred_at IS NOT NULL;

CREATE TABLE user_album_data (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    album_id bigint NOT NULL REFERENCES albums (id) ON DELETE CASCADE,
    starred_at timestamptz,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    play_count bigint NOT NULL DEFAULT 0 CHECK (play_count >= 0),
    played_at timestamptz,
    PRIMARY KEY (user_id, album_id)
);
CREATE INDEX user_album_data_album ON user_album_data (album_id);
CREATE INDEX user_album_data_starred ON user_album_data (user_id, starred_at)
    WHERE starred_at IS NOT NULL;
CREATE INDEX user_album_data_rating ON user_album_data (user_id, rating) WHERE rating IS NOT NULL;
CREATE INDEX user_album_data_plays ON user_album_data (user_id, play_count) WHERE play_count > 0;
CREATE INDEX user_album_data_played ON user_album_data (user_id, played_at)
    WHERE played_at IS NOT NULL;

CREATE TABLE user_artist_data (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    artist_id bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    starred_at timestamptz,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, artist_id)
);
CREATE INDEX user_artist_data_artist ON user_artist_data (artist_id);
CREATE INDEX user_artist_data_starred ON user_artist_data (user_id, starred_at)
    WHERE starred_at IS NOT NULL;

-- What each user's players are playing (scrobble with submission=false), for getNowPlaying:
-- one row per user and client (the `c` parameter); its id is the entry's playerId, stable
-- while the row lives. Readers skip entries past their song's end (see docs/subsonic.md).
CREATE TABLE now_playing (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client text NOT NULL,
    track_id bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, client)
);
CREATE INDEX now_playing_track ON now_playing (track_id);
