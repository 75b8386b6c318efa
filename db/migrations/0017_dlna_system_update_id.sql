-- ContentDirectory's SystemUpdateID (UPnP/DLNA, docs/dlna-network.md): a number that grows
-- whenever the library's content changes, kept across restarts, read in one cheap statement
-- (services/library_update_id.hpp). Every statement that really inserts, updates or deletes
-- rows of a table the DLNA tree is made of takes the next value of this sequence; one that
-- touches no row changes nothing. A sequence is not transactional: a rolled-back write still
-- moves it, which only makes a control point re-read a container that did not change.
-- Never edit once landed: add a migration.
CREATE SEQUENCE sonique_library_update_id;

-- Functions run with the migrations' search_path (as 0008 made every function do): a data-only
-- pg_restore loads rows with an empty one.
CREATE FUNCTION sonique_library_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_rows) THEN
        PERFORM nextval('sonique_library_update_id');
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION sonique_library_truncated() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    PERFORM nextval('sonique_library_update_id');
    RETURN NULL;
END $$;

-- The tables of the tree: artists, albums, tracks and their links, genres, covers, playlists.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['artists', 'albums', 'tracks', 'track_artists', 'genres',
                             'track_genres', 'covers', 'playlists', 'playlist_entries'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_library_changed()',
                       t || '_update_id_inserted', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_library_changed()',
                       t || '_update_id_updated', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_library_changed()',
                       t || '_update_id_deleted', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_library_truncated()',
                       t || '_update_id_truncated', t);
    END LOOP;
END $$;
