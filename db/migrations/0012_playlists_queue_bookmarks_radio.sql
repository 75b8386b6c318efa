-- Playlists, the Subsonic play queue, bookmarks and internet radio stations (issue 16; see
-- docs/subsonic.md). Playlists, queues and bookmarks belong to a user and go with it (ON DELETE
-- CASCADE). The tracks they name are referenced as the link tables of 0005 reference them:
-- checked and locked once per statement (FOR KEY SHARE), and a deleted track leaves every
-- playlist, queue and bookmark that named it (its entries are deleted; what remains keeps its
-- order). The REST API's play queue (play_queue, contract §11) is another thing and untouched.
-- Never edit once landed: add a migration.

-- A user's playlist, or a playlist file of the library (source_path set: read-only, owned by
-- the first administrator, kept in step with the file after each scan).
CREATE TABLE playlists (
    id bigserial PRIMARY KEY,
    owner_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 10000),
    public boolean NOT NULL DEFAULT false,
    source_path text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX playlists_owner ON playlists (owner_id);

-- Ordered by position; positions may have gaps (removals leave them, additions go after the
-- last), answers number the entries with row_number(). A track may appear several times.
CREATE TABLE playlist_entries (
    playlist_id bigint NOT NULL REFERENCES playlists (id) ON DELETE CASCADE,
    position bigint NOT NULL CHECK (position >= 0),
    track_id bigint NOT NULL,
    PRIMARY KEY (playlist_id, position)
);
CREATE INDEX playlist_entries_track ON playlist_entries (track_id);

-- One saved queue per user (savePlayQueue): current_position is the position of the entry
-- being played (NULL: none, or its track was deleted), position_ms the offset in it,
-- changed_by the client (`c`) that saved it.
CREATE TABLE user_play_queues (
    user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    current_position integer,
    position_ms bigint NOT NULL DEFAULT 0 CHECK (position_ms >= 0),
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT ''
);

CREATE TABLE user_play_queue_entries (
    user_id bigint NOT NULL REFERENCES user_play_queues (user_id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    track_id bigint NOT NULL,
    PRIMARY KEY (user_id, position)
);
CREATE INDEX user_play_queue_entries_track ON user_play_queue_entries (track_id);

-- One bookmark per user and track.
CREATE TABLE bookmarks (
    user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    track_id bigint NOT NULL,
    position_ms bigint NOT NULL CHECK (position_ms >= 0),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 10000),
    created_at timestamptz NOT NULL DEFAULT now(),
    changed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, track_id)
);
CREATE INDEX bookmarks_track ON bookmarks (track_id);

-- Shared by every user; administrators edit them. Only http(s) URLs (checked by the service).
CREATE TABLE radio_stations (
    id bigserial PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
    stream_url text NOT NULL CHECK (stream_url ~* '^https?://'),
    home_page_url text CHECK (home_page_url ~* '^https?://'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The track references, per statement (functions of 0005 and 0006).
CREATE TRIGGER playlist_entries_refs_inserted AFTER INSERT ON playlist_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_new_references('track_id', 'tracks');
CREATE TRIGGER user_play_queue_entries_refs_inserted AFTER INSERT ON user_play_queue_entries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_new_references('track_id', 'tracks');
CREATE TRIGGER bookmarks_refs_inserted AFTER INSERT ON bookmarks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_new_references('track_id', 'tracks');
CREATE TRIGGER tracks_user_lists_deleted AFTER DELETE ON tracks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('playlist_entries', 'track_id',
        'user_play_queue_entries', 'track_id', 'bookmarks', 'track_id');
CREATE TRIGGER tracks_user_lists_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('playlist_entries',
        'user_play_queue_entries', 'bookmarks');
