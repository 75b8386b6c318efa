-- The typeahead index of the search layer (docs/search.md, "The typeahead index") holds every
-- artist, album and track name in memory; every statement that can change a name, what an answer
-- shows beside it (its artist, its album) or a weight (tracks per artist and album) moves this
-- sequence, and an index read at another value is rebuilt in the background. A sequence, not a
-- row: writers never wait for each other on it. Never edit once landed: add a migration.
CREATE SEQUENCE sonique_names_generation;

CREATE FUNCTION sonique_names_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    PERFORM nextval('sonique_names_generation');
    RETURN NULL;
END $$;

CREATE TRIGGER tracks_names_changed AFTER INSERT OR DELETE OR UPDATE OF title, track_artist_id,
    album_id ON tracks FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER tracks_names_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER artists_names_changed AFTER INSERT OR DELETE OR UPDATE OF name ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER artists_names_truncated AFTER TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER albums_names_changed AFTER INSERT OR DELETE OR UPDATE OF title, album_artist_id
    ON albums FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER albums_names_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
