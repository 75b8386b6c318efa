-- The mtime of the lyrics file (.lrc/.txt) read beside a track's audio file, NULL when there
-- was none: a scan reads a file again when its lyrics file appears, changes or goes, whatever
-- its date (one copied with its date kept may be older than the audio file).
-- Never edit once landed: add a migration.
ALTER TABLE tracks ADD COLUMN lyrics_file_mtime double precision;
