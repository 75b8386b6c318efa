-- The values the sonic analysis offers where tags and the API gave none (docs/analysis.md,
-- "Values the tags lacked"): BPM, key and scale, loudness and ReplayGain. They live apart from
-- audio_features and the tracks' replaygain_* columns, which hold what the API and the tags
-- wrote: the statements that serve a track take COALESCE(written, analysed), so that an API
-- write or a tag always wins, an analysis never overwrites either, and a tag removed by a
-- rescan lets the analysed value show again.
-- Never edit once landed: add a migration.

-- One row per analysed track, written with its track_analysis row by the same statement
-- (analysis/impl/analysis_store.cpp). NULL where the analysis found nothing (no pulse: no BPM;
-- silence: no key, loudness or ReplayGain).
CREATE TABLE analysed_track_values (
    track_id               bigint PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    bpm                    double precision,
    key                    text,
    scale                  text CHECK (scale IN ('major', 'minor')),
    loudness               double precision,  -- integrated, LUFS (EBU R128)
    replaygain_track_gain  double precision,  -- dB against ReplayGain 2.0's -18 LUFS
    replaygain_track_peak  double precision   -- the true peak, linear (1.0 = full scale)
);

-- One row per album with at least one analysed track that is not silent: the album's loudness
-- from its tracks' (energy mean weighted by duration, with the EBU R128 relative gate applied
-- per track) and its ReplayGain. Recomputed by each stored analysis batch for the albums of its
-- tracks, and for every album at the end of each analysis run (tracks removed or moved).
-- No foreign key refers to albums (migration 0011: a TRUNCATE of albums must keep working):
-- deleting or truncating albums deletes their rows through the triggers below, as for
-- user_album_data, and only the analysis run writes rows, for albums it has just read.
CREATE TABLE analysed_album_values (
    album_id               bigint PRIMARY KEY,
    loudness               double precision NOT NULL,
    replaygain_album_gain  double precision NOT NULL,
    replaygain_album_peak  double precision NOT NULL,
    tracks                 integer NOT NULL,  -- tracks the loudness was computed from
    computed_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER albums_analysed_values_deleted AFTER DELETE ON albums
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('analysed_album_values', 'album_id');
CREATE TRIGGER albums_analysed_values_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('analysed_album_values');

-- The Camelot wheel's key ("8A" = A minor, "8B" = C major) of a key ("C", "F#", "Bb") and a
-- scale ("major", "minor"); NULL for anything else (a key tagged in another notation is kept as
-- written and has no Camelot key here). Major keys are B, minor keys A, numbered along the
-- circle of fifths from C major = 8B; a minor key has its relative major's number.
CREATE FUNCTION sonique_camelot(key text, scale text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
SELECT ((7 * ((p.pc + CASE scale WHEN 'minor' THEN 3 ELSE 0 END) % 12) + 7) % 12 + 1)::text
       || CASE scale WHEN 'minor' THEN 'A' ELSE 'B' END
  FROM (SELECT (11 + position(left(key, 1) IN 'C D EF G A B')
                + CASE substr(key, 2) WHEN '#' THEN 1 WHEN 'b' THEN -1 ELSE 0 END) % 12 AS pc) p
 WHERE key ~ '^[A-G][#b]?$' AND scale IN ('major', 'minor')
$$;

-- Rows analysed before this migration (versions 1 and 2 share the 64-value layout of
-- analysis/features.hpp: key 55, mode 56, key confidence 57, tempo 58, integrated loudness 62,
-- true peak 64, counted from 1), by the rules of analysis/impl/analysed_values.cpp.
INSERT INTO analysed_track_values (track_id, bpm, key, scale, loudness, replaygain_track_gain,
                                   replaygain_track_peak)
SELECT a.track_id,
       CASE WHEN a.features[58] > 0 THEN round(a.features[58]::numeric, 1) END,
       CASE WHEN a.features[57] > 0 THEN (ARRAY['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#',
                                                'A', 'A#', 'B'])[a.features[55]::int + 1] END,
       CASE WHEN a.features[57] > 0 THEN CASE WHEN a.features[56] > 0.5 THEN 'major'
                                              ELSE 'minor' END END,
       CASE WHEN a.features[62] > -70 THEN round(a.features[62]::numeric, 2) END,
       CASE WHEN a.features[62] > -70 THEN round((-18 - a.features[62])::numeric, 2) END,
       CASE WHEN a.features[62] > -70 THEN round(power(10, a.features[64] / 20.0)::numeric, 6) END
  FROM track_analysis a
 WHERE a.version IN (1, 2) AND cardinality(a.features) = 64;
