-- How many scans in a row a file failed with the same size and mtime. A file whose read timed
-- out is read once more (the machine may only have been busy) before it is skipped.
-- Never edit once landed: add a migration.
ALTER TABLE scan_failures ADD COLUMN attempts integer NOT NULL DEFAULT 1;
