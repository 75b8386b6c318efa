-- Whether a track's audio features were read from its file's tags by a scan (true) or written
-- through the API (false: an analyser's figures). A scan replaces and removes only the former,
-- so features read from tags follow the file (a BPM tag removed from the file goes from the
-- track too), and it never touches the latter, as with uploaded covers.
-- Rows from before this migration may hold an analyser's figures: they count as written through
-- the API.
-- Never edit once landed: add a migration.
ALTER TABLE audio_features ADD COLUMN from_tags boolean NOT NULL DEFAULT false;
