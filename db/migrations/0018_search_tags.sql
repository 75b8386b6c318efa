-- The tags vector sets of the search layer (docs/search.md): their vectors are computed from the
-- library's genres, genre and mood tags and the Last.fm tags of artists, so that every statement
-- that changes one of those moves this sequence. A set whose index was built at another value is
-- stale and rebuilt in the background. A sequence, not a row: writers never wait for each other
-- on it. Never edit once landed: add a migration.
CREATE SEQUENCE sonique_tags_generation;

CREATE FUNCTION sonique_tags_changed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    PERFORM nextval('sonique_tags_generation');
    RETURN NULL;
END $$;

CREATE TRIGGER tracks_tags_changed AFTER INSERT OR DELETE OR UPDATE OF genre, track_artist_id
    ON tracks FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER artists_tags_changed AFTER INSERT OR DELETE OR UPDATE OF lastfm_info
    ON artists FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER track_genres_tags_changed AFTER INSERT OR DELETE OR UPDATE
    ON track_genres FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER track_genre_tags_tags_changed AFTER INSERT OR DELETE OR UPDATE
    ON track_genre_tags FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER track_mood_tags_tags_changed AFTER INSERT OR DELETE OR UPDATE
    ON track_mood_tags FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER genres_tags_changed AFTER UPDATE OF name OR DELETE
    ON genres FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER genre_tags_tags_changed AFTER UPDATE OF name OR DELETE
    ON genre_tags FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
CREATE TRIGGER mood_tags_tags_changed AFTER UPDATE OF name OR DELETE
    ON mood_tags FOR EACH STATEMENT EXECUTE FUNCTION sonique_tags_changed();
