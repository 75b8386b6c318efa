-- POST /api/search/ writes its items from the typeahead index (docs/search.md, "Search from the
-- index"), which now holds every track's path too: a moved file moves sonique_names_generation,
-- so that the index is rebuilt as it is for a rename. Never edit once landed: add a migration.
CREATE TRIGGER tracks_paths_changed AFTER UPDATE OF path ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_names_changed();
