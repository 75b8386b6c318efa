-- The link tables' references (track_artists, track_genres, track_genre_tags, track_mood_tags)
-- are checked once per statement instead of once per row. A foreign key runs one query per
-- inserted row: 21,729 track_artists rows took 326-364 ms with their two foreign keys and
-- 42 ms without, and a cold scan of 20,000 files made ~130,000 such checks.
-- Never edit once landed: add a migration.
--
-- What the foreign keys did, the triggers below do for a whole statement:
-- - an insert or update locks the rows it refers to (FOR KEY SHARE, as a foreign key does:
--   they cannot be deleted until the transaction ends) and fails with foreign_key_violation
--   (23503) when one is missing, also when it was deleted by a transaction that committed
--   while this one waited for it;
-- - a delete of referenced rows deletes the links to them (ON DELETE CASCADE);
-- - a TRUNCATE of a referenced table empties the link tables that refer to it (also without
--   CASCADE, which a foreign key would have refused).
-- Referenced ids are never updated (bigserial keys); that is not guarded. The delete triggers
-- assume READ COMMITTED, the isolation every Sonique transaction uses: under REPEATABLE READ a
-- delete would miss links committed after its snapshot, where a foreign key raises 40001.

-- TG_ARGV: pairs (column of the link table, referenced table whose id it holds).
-- Without statistics on rows a scan just added, the planner may scan the whole referenced
-- table for every statement (a cold scan's tables have none until autovacuum runs).
CREATE FUNCTION sonique_check_references() RETURNS trigger
    LANGUAGE plpgsql
    SET enable_seqscan = off
    AS $$
DECLARE
    i integer := 0;
    ids bigint[];
    locked bigint;
    missing bigint;
BEGIN
    WHILE i < TG_NARGS LOOP
        -- The distinct ids, looked up by primary key.
        EXECUTE format('SELECT ARRAY(SELECT DISTINCT %I FROM new_rows)', TG_ARGV[i]) INTO ids;
        IF cardinality(ids) > 0 THEN
            EXECUTE format('SELECT count(*) FROM (SELECT 1 FROM %I r WHERE r.id = ANY ($1) '
                           'FOR KEY SHARE OF r) s', TG_ARGV[i + 1]) INTO locked USING ids;
            IF locked < cardinality(ids) THEN
                EXECUTE format('SELECT n.%1$I FROM new_rows n WHERE NOT EXISTS '
                               '(SELECT 1 FROM %2$I r WHERE r.id = n.%1$I) LIMIT 1',
                               TG_ARGV[i], TG_ARGV[i + 1]) INTO missing;
                RAISE EXCEPTION 'insert or update on table "%" violates a reference: key (%)=(%) is not present in table "%"',
                    TG_TABLE_NAME, TG_ARGV[i], missing, TG_ARGV[i + 1]
                    USING ERRCODE = 'foreign_key_violation';
            END IF;
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- TG_ARGV: pairs (link table, its column holding the deleted rows' ids).
CREATE FUNCTION sonique_delete_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    i integer := 0;
BEGIN
    WHILE i < TG_NARGS LOOP
        -- An array: a join would carry the deleted rows whole (a track row is wide).
        EXECUTE format('DELETE FROM %I WHERE %I = ANY (ARRAY(SELECT id FROM old_rows))',
                       TG_ARGV[i], TG_ARGV[i + 1]);
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- TG_ARGV: the link tables that refer to the truncated table. DELETE, not TRUNCATE: a TRUNCATE
-- that names a link table beside the table it refers to has it open ("in use") at this point,
-- and has already emptied it.
CREATE FUNCTION sonique_truncate_references() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY TG_ARGV LOOP
        EXECUTE format('DELETE FROM %I', t);
    END LOOP;
    RETURN NULL;
END $$;

ALTER TABLE track_artists
    DROP CONSTRAINT track_artists_track_id_fkey,
    DROP CONSTRAINT track_artists_artist_id_fkey;
ALTER TABLE track_genres
    DROP CONSTRAINT track_genres_track_id_fkey,
    DROP CONSTRAINT track_genres_genre_id_fkey;
ALTER TABLE track_genre_tags
    DROP CONSTRAINT track_genre_tags_track_id_fkey,
    DROP CONSTRAINT track_genre_tags_tag_id_fkey;
ALTER TABLE track_mood_tags
    DROP CONSTRAINT track_mood_tags_track_id_fkey,
    DROP CONSTRAINT track_mood_tags_tag_id_fkey;

-- Transition tables allow one event per trigger: inserts and updates have one each.
CREATE TRIGGER track_artists_refs_inserted AFTER INSERT ON track_artists
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'artist_id', 'artists');
CREATE TRIGGER track_artists_refs_updated AFTER UPDATE ON track_artists
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'artist_id', 'artists');
CREATE TRIGGER track_genres_refs_inserted AFTER INSERT ON track_genres
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'genre_id', 'genres');
CREATE TRIGGER track_genres_refs_updated AFTER UPDATE ON track_genres
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'genre_id', 'genres');
CREATE TRIGGER track_genre_tags_refs_inserted AFTER INSERT ON track_genre_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'tag_id', 'genre_tags');
CREATE TRIGGER track_genre_tags_refs_updated AFTER UPDATE ON track_genre_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'tag_id', 'genre_tags');
CREATE TRIGGER track_mood_tags_refs_inserted AFTER INSERT ON track_mood_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'tag_id', 'mood_tags');
CREATE TRIGGER track_mood_tags_refs_updated AFTER UPDATE ON track_mood_tags
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_check_references('track_id', 'tracks', 'tag_id', 'mood_tags');

CREATE TRIGGER tracks_links_deleted AFTER DELETE ON tracks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('track_artists', 'track_id', 'track_genres',
        'track_id', 'track_genre_tags', 'track_id', 'track_mood_tags', 'track_id');
CREATE TRIGGER artists_links_deleted AFTER DELETE ON artists
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('track_artists', 'artist_id');
CREATE TRIGGER genres_links_deleted AFTER DELETE ON genres
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('track_genres', 'genre_id');
CREATE TRIGGER genre_tags_links_deleted AFTER DELETE ON genre_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('track_genre_tags', 'tag_id');
CREATE TRIGGER mood_tags_links_deleted AFTER DELETE ON mood_tags
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_delete_references('track_mood_tags', 'tag_id');

CREATE TRIGGER tracks_links_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('track_artists',
        'track_genres', 'track_genre_tags', 'track_mood_tags');
CREATE TRIGGER artists_links_truncated AFTER TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('track_artists');
CREATE TRIGGER genres_links_truncated AFTER TRUNCATE ON genres
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('track_genres');
CREATE TRIGGER genre_tags_links_truncated AFTER TRUNCATE ON genre_tags
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('track_genre_tags');
CREATE TRIGGER mood_tags_links_truncated AFTER TRUNCATE ON mood_tags
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_truncate_references('track_mood_tags');
