-- POST /api/search/ is answered from the typeahead index (docs/search.md, "Search from the
-- index"), which also holds what its filters and facets read: a track's genre and year and an
-- album's release year. Changing them now moves sonique_names_generation too, so that the index
-- is rebuilt as it is for a rename. Never edit once landed: add a migration.
CREATE TRIGGER tracks_facets_changed AFTER UPDATE OF genre, year ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
CREATE TRIGGER albums_facets_changed AFTER UPDATE OF release_year ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
