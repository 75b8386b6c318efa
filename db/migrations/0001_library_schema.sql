-- The library schema needed by docs/api-contract.md. Never edit once landed: add a migration.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Case- and accent-insensitive form of a name, usable in indexes.
CREATE FUNCTION sonique_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- Leading integer of a tag such as "3/12" (NULL when there is none).
CREATE FUNCTION sonique_leading_int(text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT substring($1 from '^\s*(\d{1,9})')::integer $$;

CREATE TABLE artists (
    id                    bigserial PRIMARY KEY,
    name                  text NOT NULL CHECK (name <> ''),
    sort_name             text,
    musicbrainz_artistid  text UNIQUE,
    lastfm_info           jsonb,
    date_added            timestamptz NOT NULL DEFAULT now(),
    date_modified         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX artists_name_ci ON artists (lower(name));
CREATE INDEX artists_name_folded ON artists (sonique_fold(name));
CREATE INDEX artists_name_trgm ON artists USING gin (lower(name) gin_trgm_ops);

CREATE TABLE albums (
    id                         bigserial PRIMARY KEY,
    title                      text NOT NULL,
    album_artist_id            bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    release_year               text CHECK (release_year ~ '^\d{4}$'),
    musicbrainz_albumid        text UNIQUE,
    musicbrainz_releasegroupid text,
    is_compilation             boolean NOT NULL DEFAULT false,
    sort_title                 text,
    date_added                 timestamptz NOT NULL DEFAULT now(),
    date_modified              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX albums_artist_title ON albums (album_artist_id, lower(title));
CREATE INDEX albums_artist_year ON albums (album_artist_id, release_year, lower(title));
CREATE INDEX albums_title ON albums (lower(title), id);
CREATE INDEX albums_title_trgm ON albums USING gin (lower(title) gin_trgm_ops);

CREATE TABLE tracks (
    id                          bigserial PRIMARY KEY,
    title                       text NOT NULL,
    path                        text NOT NULL UNIQUE,
    track_artist_id             bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    album_id                    bigint REFERENCES albums (id) ON DELETE SET NULL,
    duration                    integer,
    track_number                text,
    disc_number                 text,
    track_no                    integer GENERATED ALWAYS AS (sonique_leading_int(track_number)) STORED,
    disc_no                     integer GENERATED ALWAYS AS (sonique_leading_int(disc_number)) STORED,
    track_total                 integer,
    disc_total                  integer,
    year                        text,
    original_date               text,
    genre                       text,
    file_type                   text,
    bitrate                     integer,
    sample_rate                 integer,
    channels                    integer,
    bit_depth                   integer,
    featured_artists            text,
    composer                    text,
    comment                     text,
    lyrics                      text,
    isrc                        text,
    title_sort                  text,
    artist_sort                 text,
    album_sort                  text,
    album_artist_sort           text,
    musicbrainz_id              text,
    musicbrainz_recordingid     text,
    musicbrainz_albumid         text,
    musicbrainz_artistid        text,
    musicbrainz_albumartistid   text,
    musicbrainz_releasegroupid  text,
    acoustid_fingerprint        text,
    replaygain_track_gain       double precision,
    replaygain_track_peak       double precision,
    replaygain_album_gain       double precision,
    replaygain_album_peak       double precision,
    file_mtime                  double precision,
    file_size                   bigint,
    date_added                  timestamptz NOT NULL DEFAULT now(),
    date_modified               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tracks_artist ON tracks (track_artist_id);
CREATE INDEX tracks_album_order ON tracks (album_id, disc_no, track_no, id);
CREATE INDEX tracks_musicbrainz ON tracks (musicbrainz_id) WHERE musicbrainz_id IS NOT NULL;
CREATE INDEX tracks_title_trgm ON tracks USING gin (lower(title) gin_trgm_ops);
CREATE INDEX tracks_path_trgm ON tracks USING gin (lower(path) gin_trgm_ops);
CREATE INDEX tracks_year ON tracks (year);
CREATE INDEX tracks_genre ON tracks (lower(genre));
CREATE INDEX tracks_size ON tracks (file_size);

-- Every artist of a track, in tag order (position 0 is the main artist).
CREATE TABLE track_artists (
    track_id   bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    artist_id  bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    position   integer NOT NULL,
    role       text NOT NULL DEFAULT 'artist',
    PRIMARY KEY (track_id, position)
);
CREATE INDEX track_artists_artist ON track_artists (artist_id);

CREATE TABLE genres (
    id             bigserial PRIMARY KEY,
    name           text NOT NULL CHECK (name <> ''),
    date_added     timestamptz NOT NULL DEFAULT now(),
    date_modified  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX genres_name_ci ON genres (lower(name));

CREATE TABLE track_genres (
    track_id  bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    genre_id  bigint NOT NULL REFERENCES genres (id) ON DELETE CASCADE,
    position  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (track_id, genre_id)
);
CREATE INDEX track_genres_genre ON track_genres (genre_id);

CREATE TABLE genre_tags (
    id    bigserial PRIMARY KEY,
    name  text NOT NULL UNIQUE CHECK (name <> '')
);
CREATE TABLE mood_tags (
    id    bigserial PRIMARY KEY,
    name  text NOT NULL UNIQUE CHECK (name <> '')
);
CREATE TABLE track_genre_tags (
    track_id  bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag_id    bigint NOT NULL REFERENCES genre_tags (id) ON DELETE CASCADE,
    PRIMARY KEY (track_id, tag_id)
);
CREATE INDEX track_genre_tags_tag ON track_genre_tags (tag_id);
CREATE TABLE track_mood_tags (
    track_id  bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    tag_id    bigint NOT NULL REFERENCES mood_tags (id) ON DELETE CASCADE,
    PRIMARY KEY (track_id, tag_id)
);
CREATE INDEX track_mood_tags_tag ON track_mood_tags (tag_id);

-- Normalised cover images, stored once per content hash.
CREATE TABLE cover_images (
    id         bigserial PRIMARY KEY,
    sha256     text NOT NULL UNIQUE,
    mime_type  text NOT NULL,
    width      integer NOT NULL,
    height     integer NOT NULL,
    data       bytea NOT NULL
);

-- One cover per entity. Entities are polymorphic, so deletes cascade through triggers below.
CREATE TABLE covers (
    id             bigserial PRIMARY KEY,
    entity_type    text NOT NULL CHECK (entity_type IN ('artist', 'album', 'track')),
    entity_id      bigint NOT NULL,
    image_id       bigint REFERENCES cover_images (id) ON DELETE SET NULL,
    mime_type      text,
    url            text,
    source_path    text,
    date_added     timestamptz NOT NULL DEFAULT now(),
    date_modified  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (entity_type, entity_id)
);
CREATE INDEX covers_image ON covers (image_id);

CREATE FUNCTION sonique_delete_covers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM covers WHERE entity_type = TG_ARGV[0] AND entity_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER artists_covers AFTER DELETE ON artists
    FOR EACH ROW EXECUTE FUNCTION sonique_delete_covers('artist');
CREATE TRIGGER albums_covers AFTER DELETE ON albums
    FOR EACH ROW EXECUTE FUNCTION sonique_delete_covers('album');
CREATE TRIGGER tracks_covers AFTER DELETE ON tracks
    FOR EACH ROW EXECUTE FUNCTION sonique_delete_covers('track');

CREATE TABLE audio_features (
    id              bigserial PRIMARY KEY,
    track_id        bigint NOT NULL UNIQUE REFERENCES tracks (id) ON DELETE CASCADE,
    bpm             double precision,
    key             text,
    scale           text,
    danceability    double precision,
    mood_happy      double precision,
    mood_aggressive double precision,
    mood_party      double precision,
    mood_relaxed    double precision,
    instrumental    double precision,
    acoustic        double precision,
    tonal           double precision,
    camelot_key     text,
    genre_main      text,
    date_added      timestamptz NOT NULL DEFAULT now(),
    date_modified   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE artist_similar (
    id                 bigserial PRIMARY KEY,
    artist_id          bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    similar_artist_id  bigint NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    weight             double precision NOT NULL CHECK (weight >= 0 AND weight <= 1),
    source             text NOT NULL DEFAULT 'manual',
    date_added         timestamptz NOT NULL DEFAULT now(),
    date_modified      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (artist_id, similar_artist_id, source)
);
CREATE INDEX artist_similar_weight ON artist_similar (artist_id, weight DESC);
CREATE INDEX artist_similar_other ON artist_similar (similar_artist_id);

CREATE TABLE settings (
    id             bigserial PRIMARY KEY,
    key            text NOT NULL UNIQUE,
    value          text,
    description    text,
    is_encrypted   boolean NOT NULL DEFAULT false,
    date_added     timestamptz NOT NULL DEFAULT now(),
    date_modified  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scan_sessions (
    id                   bigserial PRIMARY KEY,
    directory            text NOT NULL,
    status               text NOT NULL DEFAULT 'running'
                         CHECK (status IN ('running', 'paused', 'completed', 'failed', 'cancelled')),
    task_id              text NOT NULL UNIQUE,
    cleanup_deleted      boolean NOT NULL DEFAULT false,
    last_processed_file  text,
    processed_files      integer NOT NULL DEFAULT 0,
    total_files          integer NOT NULL DEFAULT 0,
    added_files          integer NOT NULL DEFAULT 0,
    updated_files        integer NOT NULL DEFAULT 0,
    removed_files        integer NOT NULL DEFAULT 0,
    error_count          integer NOT NULL DEFAULT 0,
    result               jsonb,
    started_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    finished_at          timestamptz
);
CREATE INDEX scan_sessions_started ON scan_sessions (started_at DESC, id DESC);
CREATE INDEX scan_sessions_running ON scan_sessions (directory) WHERE status = 'running';

CREATE TABLE scan_errors (
    id          bigserial PRIMARY KEY,
    session_id  bigint NOT NULL REFERENCES scan_sessions (id) ON DELETE CASCADE,
    path        text NOT NULL,
    reason      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scan_errors_session ON scan_errors (session_id, id);

-- The play queue: a single queue (the old backend had one) with contiguous positions.
CREATE TABLE play_queue (
    id                integer PRIMARY KEY CHECK (id = 1),
    current_position  integer,
    last_updated      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO play_queue (id, current_position) VALUES (1, NULL);

CREATE TABLE play_queue_items (
    track_id  bigint PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    position  integer NOT NULL,
    added_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT play_queue_position UNIQUE (position) DEFERRABLE INITIALLY DEFERRED
);
