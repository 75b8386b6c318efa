-- A generated library for the search benchmark: :tracks tracks, 10 per artist, 12 per album,
-- names made of common words (so that text search has real work: shared prefixes, trigrams in
-- many names), a 64-dimension embedding per track (type "bench64"). Rows go straight into
-- PostgreSQL: no audio. psql -v tracks=N -f library.sql
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE words AS SELECT w, n FROM unnest(string_to_array(
  'amber autumn black blue bright broken burning city cold crystal dancing dark dawn desert '
  'dream drift echo electric empty ember falling fire forest frozen ghost glass golden gravity '
  'green grey harbour heart heavy hollow honey horizon ice iron jade june last late light '
  'lonely lost lunar machine marble midnight mirror moon morning neon night northern ocean '
  'orange paper pale paradise quiet radio rain red river rose ruby salt satellite shadow '
  'silent silver sky slow smoke snow solar sound spring star stone storm summer sun sweet '
  'thunder tide velvet violet wave white wild wind winter wolf yellow young zero', ' '))
  WITH ORDINALITY AS t(w, n);
CREATE TEMP TABLE nw AS SELECT count(*)::int AS c FROM words;
INSERT INTO artists (name)
SELECT CASE WHEN i % 7 = 0 THEN 'The ' ELSE '' END || initcap(a.w) || ' ' || initcap(b.w)
       || CASE WHEN i > (SELECT c * c FROM nw) THEN ' ' || i ELSE '' END
FROM generate_series(1, (:tracks / 10)) AS i CROSS JOIN nw
JOIN words a ON a.n = 1 + (i % nw.c) JOIN words b ON b.n = 1 + ((i / nw.c) % nw.c);
INSERT INTO albums (title, album_artist_id, release_year)
SELECT initcap(a.w) || ' ' || initcap(b.w) || ' ' || i, 1 + (i % (:tracks / 10)),
       (1960 + i % 60)::text
FROM generate_series(1, (:tracks / 12) + 1) AS i CROSS JOIN nw
JOIN words a ON a.n = 1 + ((i * 7) % nw.c) JOIN words b ON b.n = 1 + ((i * 13) % nw.c);
INSERT INTO tracks (title, path, track_artist_id, album_id, duration, track_number, disc_number,
                    year, genre, file_type, bitrate, file_mtime, file_size)
SELECT initcap(a.w) || ' ' || b.w || ' ' || c.w, '/bench/music/' || i || '.flac',
       1 + (i % (:tracks / 10)), 1 + (i / 12), 180 + i % 120, (1 + i % 12)::text || '/12', '1',
       (1960 + i % 60)::text, 'Genre ' || (i % 40), 'audio/flac', 900, 1700000000, 20000000
FROM generate_series(0, :tracks - 1) AS i CROSS JOIN nw
JOIN words a ON a.n = 1 + ((i * 31) % nw.c) JOIN words b ON b.n = 1 + ((i * 17 / 3) % nw.c)
JOIN words c ON c.n = 1 + ((i / 97) % nw.c);
INSERT INTO track_artists (track_id, artist_id, position)
SELECT id, track_artist_id, 0 FROM tracks;
-- Ten stored (Last.fm) similar artists per artist, as an import would leave them.
INSERT INTO artist_similar (artist_id, similar_artist_id, weight, source)
SELECT a.id, 1 + (a.id * 31 + k * 977) % (:tracks / 10), 1.0 / (k + 1), 'lastfm'
FROM artists a, generate_series(1, 10) AS k
WHERE 1 + (a.id * 31 + k * 977) % (:tracks / 10) <> a.id
ON CONFLICT DO NOTHING;
INSERT INTO embedding_types (embedding_type, dimension) VALUES ('bench64', 64);
-- Correlated with the row (t.id) so that each track gets its own vector.
INSERT INTO track_embeddings (track_id, embedding_type, dimension, vector)
SELECT t.id, 'bench64', 64,
       ARRAY(SELECT (random() - 0.5 + 0 * t.id)::real FROM generate_series(1, 64))
FROM tracks t;
COMMIT;
-- Vacuumed and analysed now, as a library that has been in use is: otherwise autovacuum visits
-- these freshly inserted tables during the first minute of the run and takes the cores from it.
VACUUM ANALYZE;
