-- Per-user library data of the OpenSubsonic API (issue 16): stars (with the time starred),
-- ratings (1-5; no row or NULL for none), play counts and the last play. A row belongs to its
-- user and its entity: it is deleted with either (see below). Writes are single-statement
-- upserts (INSERT ... ON CONFLICT DO UPDATE with play_count = play_count + n), so concurrent
-- scrobbles of one song are all counted without any read-modify-write in the server.
-- References to users are foreign keys. References to tracks, albums and artists are checked
-- per statement by the triggers of migrations 0005 and 0006, as the tracks' and link tables'
-- are: the same guarantees (a missing entity is foreign_key_violation; deleting an entity
-- deletes its rows), one query per statement instead of one per row when a rescan deletes
-- thousands of tracks, and a TRUNCATE of albums (which no foreign key refers to) still works.
-- An album's play count and last play are kept on the album itself, counted when one of its
-- songs is scrobbled (as Navidrome does): they survive a rescan that replaces its tracks.
-- Artists have no play count: neither Artist nor ArtistID3 carries one.
-- Never edit once landed: add a migration.
CREATE TABLE user_track_data (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id bigint NOT NULL,
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
    album_id bigint NOT NULL,
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
    artist_id bigint NOT NULL,
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
    track_id bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, client)
);
CREATE INDEX now_playing_track ON now_playing (track_id);

-- The entity references, as 0005 and 0006 check theirs.
CREATE TRIGGER user_track_data_refs_inserted AFTER INSERT ON user_track_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks');
CREATE TRIGGER user_track_data_refs_updated AFTER UPDATE ON user_track_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks');
CREATE TRIGGER user_album_data_refs_inserted AFTER INSERT ON user_album_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('album_id', 'albums');
CREATE TRIGGER user_album_data_refs_updated AFTER UPDATE ON user_album_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('album_id', 'albums');
CREATE TRIGGER user_artist_data_refs_inserted AFTER INSERT ON user_artist_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('artist_id', 'artists');
CREATE TRIGGER user_artist_data_refs_updated AFTER UPDATE ON user_artist_data
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('artist_id', 'artists');
CREATE TRIGGER now_playing_refs_inserted AFTER INSERT ON now_playing
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks');
CREATE TRIGGER now_playing_refs_updated AFTER UPDATE ON now_playing
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks');

CREATE TRIGGER tracks_user_data_deleted AFTER DELETE ON tracks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('user_track_data', 'track_id', 'now_playing',
        'track_id');
CREATE TRIGGER albums_user_data_deleted AFTER DELETE ON albums
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('user_album_data', 'album_id');
CREATE TRIGGER artists_user_data_deleted AFTER DELETE ON artists
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('user_artist_data', 'artist_id');

CREATE TRIGGER tracks_user_data_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('user_track_data',
        'now_playing');
CREATE TRIGGER albums_user_data_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('user_album_data');
CREATE TRIGGER artists_user_data_truncated AFTER TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('user_artist_data');
