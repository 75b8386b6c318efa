-- ContentDirectory's ContainerUpdateIDs (UPnP/DLNA, docs/dlna.md "Update ids"): for each DLNA
-- container whose children changed, the SystemUpdateID (migration 0017's sequence) of its last
-- change. Browse answers a container's UpdateID from here in its page's statement, and eventing
-- sends the containers changed since its last event as "id,updateId,...". Statement-level
-- triggers, fired after 0017's (triggers of one event fire in name order, and these names sort
-- after "<table>_update_id_<event>"), so that currval() is the value that statement took.
-- Kept only for the containers whose every change they see (docs/dlna.md lists them); the
-- others answer the SystemUpdateID. Over-marking is harmless (a control point re-reads a
-- container); missing a change is not, so the rules err on the side of more containers.
--
-- A log, not one row per container: an upsert would lock the container's row (m/all for every
-- track write) until the writer commits, so concurrent writers would queue behind each other
-- and deadlock when they mark in different orders. Here a writer only inserts rows and deletes
-- the older rows of the same containers that no other transaction holds (SKIP LOCKED): no
-- writer ever waits for another. A container's update id is the largest of its rows; older
-- rows left by a concurrent writer go with the next mark of that container.
-- Never edit once landed: add a migration.
CREATE TABLE dlna_container_updates (
    container text NOT NULL,
    update_id bigint NOT NULL
);
-- Browse reads a container's largest; eventing the containers changed after a SystemUpdateID.
CREATE INDEX dlna_container_updates_container ON dlna_container_updates (container, update_id);
CREATE INDEX dlna_container_updates_update_id ON dlna_container_updates (update_id);

-- Marks the containers of `ids` (NULLs ignored) changed by this statement's SystemUpdateID.
CREATE FUNCTION sonique_dlna_mark(ids text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
DECLARE
    v bigint := currval('sonique_library_update_id');
BEGIN
    DELETE FROM dlna_container_updates
     WHERE ctid IN (SELECT ctid FROM dlna_container_updates
                     WHERE container = ANY(ids) AND update_id < v
                       FOR UPDATE SKIP LOCKED);
    INSERT INTO dlna_container_updates (container, update_id)
    SELECT DISTINCT c, v FROM unnest(ids) AS c
     WHERE c IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM dlna_container_updates u
                        WHERE u.container = c AND u.update_id = v);
END $$;

-- The containers that list tracks (their rows, album ids, track artist ids): the fixed lists,
-- each album, the artist's album and album list, the album artist's album and album list, the
-- tracks' genres. The fixed lists show counts of these (childCount) or the tracks themselves.
CREATE FUNCTION sonique_dlna_mark_tracks(track_ids bigint[], album_ids bigint[],
                                         artist_ids bigint[]) RETURNS void
    LANGUAGE sql
    SET search_path FROM CURRENT
    AS $$
    SELECT sonique_dlna_mark(
        ARRAY['m/all', 'm/new', 'm/al', 'm/ar', 'm/aa', 'm/ge']
        || ARRAY(SELECT 'm/al/' || b FROM unnest(album_ids) AS b)
        || ARRAY(SELECT 'm/ar/' || a FROM unnest(artist_ids) AS a)
        || ARRAY(SELECT 'm/ar/' || a || '/' || b FROM unnest(artist_ids, album_ids) AS x(a, b)
                  WHERE b IS NOT NULL)
        || ARRAY(SELECT 'm/aa/' || al.album_artist_id FROM albums al WHERE al.id = ANY(album_ids))
        || ARRAY(SELECT 'm/aa/' || al.album_artist_id || '/' || al.id FROM albums al
                  WHERE al.id = ANY(album_ids))
        || ARRAY(SELECT 'm/ge/' || x.genre_id FROM track_genres x
                  WHERE x.track_id = ANY(track_ids))
        || ARRAY(SELECT 'm/pl/' || e.playlist_id FROM playlist_entries e
                  WHERE e.track_id = ANY(track_ids)));
$$;

-- The tracks of some albums or artists, as sonique_dlna_mark_tracks marks them (an album's
-- title, an artist's name or a cover shows in every track row below it).
CREATE FUNCTION sonique_dlna_mark_tracks_of(album_ids bigint[], artist_ids bigint[])
    RETURNS void
    LANGUAGE sql
    SET search_path FROM CURRENT
    AS $$
    -- Three indexed reads (tracks_album_order, tracks_artist, albums' artist index), not one
    -- OR that would read every track.
    SELECT sonique_dlna_mark_tracks(array_agg(t.id), array_agg(t.album_id),
                                    array_agg(t.track_artist_id))
      FROM tracks t
     WHERE t.id IN (SELECT x.id FROM tracks x WHERE x.album_id = ANY(album_ids)
                    UNION SELECT x.id FROM tracks x WHERE x.track_artist_id = ANY(artist_ids)
                    UNION SELECT x.id FROM albums al JOIN tracks x ON x.album_id = al.id
                           WHERE al.album_artist_id = ANY(artist_ids));
$$;

-- One trigger function for every table: the rows are the statement's transition table(s),
-- read by key columns only (a scan's batch of tracks is a few arrays, not row copies).
CREATE FUNCTION sonique_dlna_containers_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
DECLARE
    src text := CASE TG_OP WHEN 'INSERT' THEN 'new_rows' WHEN 'DELETE' THEN 'old_rows'
                ELSE '(SELECT * FROM new_rows UNION ALL SELECT * FROM old_rows)' END;
    a bigint[];
    b bigint[];
    c bigint[];
BEGIN
    CASE TG_TABLE_NAME
    WHEN 'tracks' THEN
        EXECUTE format('SELECT array_agg(id), array_agg(album_id), array_agg(track_artist_id) '
                       'FROM %s x', src) INTO a, b, c;
        IF a IS NOT NULL THEN
            PERFORM sonique_dlna_mark_tracks(a, b, c);
        END IF;
    WHEN 'albums' THEN
        EXECUTE format('SELECT array_agg(id), array_agg(album_artist_id) FROM %s x', src)
            INTO a, b;
        IF a IS NOT NULL THEN
            PERFORM sonique_dlna_mark(ARRAY['m/al', 'm/aa', 'm/ar', 'm/ge']
                || ARRAY(SELECT 'm/aa/' || x FROM unnest(b) AS x));
            PERFORM sonique_dlna_mark_tracks_of(a, '{}');
        END IF;
    WHEN 'artists' THEN
        EXECUTE format('SELECT array_agg(id) FROM %s x', src) INTO a;
        IF a IS NOT NULL THEN
            PERFORM sonique_dlna_mark(ARRAY['m/ar', 'm/aa', 'm/ge']);
            PERFORM sonique_dlna_mark_tracks_of('{}', a);
        END IF;
    WHEN 'covers' THEN
        EXECUTE format('SELECT array_agg(entity_id) FILTER (WHERE entity_type = ''album''), '
                       'array_agg(entity_id) FILTER (WHERE entity_type = ''track'') '
                       'FROM %s x', src) INTO a, b;
        IF a IS NOT NULL OR b IS NOT NULL THEN
            PERFORM sonique_dlna_mark(ARRAY['m/al', 'm/aa']);
            PERFORM sonique_dlna_mark_tracks_of(coalesce(a, '{}'), '{}');
            PERFORM sonique_dlna_mark_tracks(array_agg(t.id), array_agg(t.album_id),
                                             array_agg(t.track_artist_id))
               FROM tracks t WHERE t.id = ANY(b);
        END IF;
    WHEN 'genres', 'track_genres' THEN
        EXECUTE format('SELECT array_agg(%s) FROM %s x',
                       CASE TG_TABLE_NAME WHEN 'genres' THEN 'id' ELSE 'genre_id' END, src) INTO a;
        IF a IS NOT NULL THEN
            PERFORM sonique_dlna_mark(ARRAY['m/ge'] || ARRAY(SELECT 'm/ge/' || x FROM unnest(a) x));
        END IF;
    WHEN 'playlists', 'playlist_entries' THEN
        EXECUTE format('SELECT array_agg(%s) FROM %s x',
                       CASE TG_TABLE_NAME WHEN 'playlists' THEN 'id' ELSE 'playlist_id' END, src)
            INTO a;
        IF a IS NOT NULL THEN
            PERFORM sonique_dlna_mark(ARRAY['m/pl'] || ARRAY(SELECT 'm/pl/' || x FROM unnest(a) x));
        END IF;
    END CASE;
    RETURN NULL;
END $$;

-- A truncated table: every container changed.
CREATE FUNCTION sonique_dlna_containers_truncated() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    PERFORM sonique_dlna_mark(ARRAY(SELECT DISTINCT container FROM dlna_container_updates)
                              || ARRAY['m/all', 'm/new', 'm/al', 'm/ar', 'm/aa', 'm/ge', 'm/pl']);
    RETURN NULL;
END $$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['artists', 'albums', 'tracks', 'genres', 'track_genres', 'covers',
                             'playlists', 'playlist_entries'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_dlna_containers_changed()',
                       t || '_update_id_x_containers_inserted', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows '
                       'NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_dlna_containers_changed()',
                       t || '_update_id_x_containers_updated', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_dlna_containers_changed()',
                       t || '_update_id_x_containers_deleted', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION sonique_dlna_containers_truncated()',
                       t || '_update_id_x_containers_truncated', t);
    END LOOP;
END $$;
