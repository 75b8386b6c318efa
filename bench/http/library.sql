-- A synthetic library for the HTTP benchmark: :tracks tracks, 12 per album, 10 per artist
-- (so albums are shared by artists as in real libraries), with tags and audio features.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO artists (name)
SELECT 'Artist ' || lpad(i::text, 6, '0') FROM generate_series(1, (:tracks / 10)) AS i;
INSERT INTO albums (title, album_artist_id, release_year)
SELECT 'Album ' || i, 1 + (i % (:tracks / 10)), (1960 + i % 60)::text
FROM generate_series(1, (:tracks / 12) + 1) AS i;
INSERT INTO tracks (title, path, track_artist_id, album_id, duration, track_number, disc_number,
                    year, genre, file_type, bitrate, file_mtime, file_size)
SELECT 'Track ' || i, '/bench/music/' || i || '.flac', 1 + (i % (:tracks / 10)),
       1 + (i / 12), 180 + i % 120, (1 + i % 12)::text || '/12', '1', (1960 + i % 60)::text,
       'Genre ' || (i % 40), 'audio/flac', 900, 1700000000, 20000000
FROM generate_series(0, :tracks - 1) AS i;
INSERT INTO track_artists (track_id, artist_id, position)
SELECT id, track_artist_id, 0 FROM tracks;
INSERT INTO genre_tags (name) SELECT 'tag ' || i FROM generate_series(1, 50) AS i;
INSERT INTO track_genre_tags (track_id, tag_id) SELECT id, 1 + id % 50 FROM tracks;
INSERT INTO audio_features (track_id, bpm, key, scale)
SELECT id, 90 + id % 60, 'C', 'major' FROM tracks;
COMMIT;
ANALYZE;
