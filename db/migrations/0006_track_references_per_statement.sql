-- The tracks' own references (track_artist_id to artists, album_id to albums) are checked once
-- per statement, as migration 0005 does for the link tables. Their two foreign keys ran two
-- queries per inserted track row: a batch of 500 tracks made 1,000 lookups, ~0.3 s of a cold
-- 20,000-file scan's ~1.1 s of track inserts.
-- Never edit once landed: add a migration.
--
-- What the foreign keys did, the triggers below do for a whole statement:
-- - an insert or update locks the artists and albums it refers to (FOR KEY SHARE) and fails with
--   foreign_key_violation (23503) when one is missing; a NULL album_id refers to nothing;
-- - deleting artists deletes their tracks (ON DELETE CASCADE);
-- - deleting albums sets their tracks' album_id to NULL (ON DELETE SET NULL);
-- - a TRUNCATE of artists or albums deletes every track, as TRUNCATE ... CASCADE did (also
--   without CASCADE, which a foreign key would have refused).
-- As in 0005, referenced ids are never updated (nor are tracks' ids), and the delete triggers
-- assume READ COMMITTED.

-- Locks the rows of table ref whose ids are given (FOR KEY SHARE, as a foreign key does) and
-- raises foreign_key_violation when one is missing. source and col only name the reference in
-- the message.
CREATE FUNCTION sonique_lock_references(source text, col text, ref text, ids bigint[])
    RETURNS void
    LANGUAGE plpgsql
    SET enable_seqscan = off
    AS $$
DECLARE
    locked bigint;
    missing bigint;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I r WHERE r.id = ANY ($1) '
                   'FOR KEY SHARE OF r) s', ref) INTO locked USING ids;
    IF locked < cardinality(ids) THEN
        EXECUTE format('SELECT x FROM unnest($1) x WHERE NOT EXISTS '
                       '(SELECT 1 FROM %I r WHERE r.id = x) LIMIT 1', ref) INTO missing USING ids;
        RAISE EXCEPTION 'insert or update on table "%" violates a reference: key (%)=(%) is not present in table "%"',
            source, col, missing, ref
            USING ERRCODE = 'foreign_key_violation';
    END IF;
END $$;

-- Inserted rows. TG_ARGV: pairs (column, referenced table whose id it holds); NULL refers to
-- nothing.
CREATE FUNCTION sonique_check_new_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    i integer := 0;
    ids bigint[];
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('SELECT ARRAY(SELECT DISTINCT %1$I FROM new_rows WHERE %1$I IS NOT NULL)',
                       TG_ARGV[i]) INTO ids;
        PERFORM sonique_lock_references(TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1], ids);
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- Updated rows of a table keyed by id: only references the update changed are checked, as a
-- foreign key does. Checking them all would fail the cascades below: deleting an artist deletes
-- its albums, which sets album_id to NULL on its tracks while their artist is already gone.
CREATE FUNCTION sonique_check_changed_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    i integer := 0;
    ids bigint[];
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('SELECT ARRAY(SELECT DISTINCT n.%1$I FROM new_rows n JOIN old_rows o '
                       'ON o.id = n.id WHERE n.%1$I IS NOT NULL AND '
                       'n.%1$I IS DISTINCT FROM o.%1$I)', TG_ARGV[i]) INTO ids;
        PERFORM sonique_lock_references(TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1], ids);
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- TG_ARGV: pairs (referring table, its column holding the deleted rows' ids), set to NULL.
CREATE FUNCTION sonique_null_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    i integer := 0;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('UPDATE %1$I SET %2$I = NULL WHERE %2$I = ANY (ARRAY(SELECT id FROM old_rows))',
                       TG_ARGV[i], TG_ARGV[i + 1]);
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

ALTER TABLE tracks
    DROP CONSTRAINT tracks_track_artist_id_fkey,
    DROP CONSTRAINT tracks_album_id_fkey;

CREATE TRIGGER tracks_refs_inserted AFTER INSERT ON tracks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_new_references('track_artist_id', 'artists',
        'album_id', 'albums');
CREATE TRIGGER tracks_refs_updated AFTER UPDATE ON tracks
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_changed_references('track_artist_id', 'artists',
        'album_id', 'albums');

CREATE TRIGGER artists_tracks_deleted AFTER DELETE ON artists
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('tracks', 'track_artist_id');
CREATE TRIGGER albums_tracks_unlinked AFTER DELETE ON albums
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_null_references('tracks', 'album_id');

CREATE TRIGGER artists_tracks_truncated AFTER TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('tracks');
CREATE TRIGGER albums_tracks_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('tracks');
