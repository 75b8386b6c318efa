-- The search layer (docs/search.md): text search keys and their trigram indexes, and the track
-- embeddings that other programs post (api-contract.md §13). Never edit once landed: add a
-- migration.

-- A name's search key: folded like sonique_fold (lower case, accents off), one leading article
-- dropped, then every blank and punctuation mark removed, so that "AC/DC" is "acdc" and
-- "The Beatles" is "beatles". Letters of every script are kept as written (the punctuation is
-- named, not "everything that is not a letter", which depends on the database's locale).
-- Qualified names only and no SET clause: index expressions inline it (see 0008).
CREATE FUNCTION sonique_search_key(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
SELECT pg_catalog.regexp_replace(
    pg_catalog.regexp_replace(
        pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, $1)),
        '^\s*((the|an|a|le|la|les|die|der|das|el|los|las|il)\s+|l'')', ''),
    '[\s[:punct:]’‘“”«»¿¡…–—·•]+', '', 'g')
$$;

-- Trigram indexes on both forms of every searchable name: the folded form serves exact, prefix
-- and word-similarity matches ("sigur ros", "radioh", "radiohed"), the key serves compact forms
-- and substring matches ("acdc", "beatles").
CREATE INDEX artists_search_fold ON artists USING gin (sonique_fold(name) gin_trgm_ops);
CREATE INDEX artists_search_key ON artists USING gin (sonique_search_key(name) gin_trgm_ops);
CREATE INDEX albums_search_fold ON albums USING gin (sonique_fold(title) gin_trgm_ops);
CREATE INDEX albums_search_key ON albums USING gin (sonique_search_key(title) gin_trgm_ops);
CREATE INDEX tracks_search_fold ON tracks USING gin (sonique_fold(title) gin_trgm_ops);
CREATE INDEX tracks_search_key ON tracks USING gin (sonique_search_key(title) gin_trgm_ops);

-- Generations of the vector sets: every write to a set's source rows takes a new value, which
-- a saved index file carries; a file whose generation differs from the database's is stale.
CREATE SEQUENCE sonique_vector_generation;

-- One row per embedding type: its dimension is fixed by its first vector and freed when its last
-- vector goes.
CREATE TABLE embedding_types (
    embedding_type  text PRIMARY KEY CHECK (embedding_type <> ''),
    dimension       integer NOT NULL CHECK (dimension > 0),
    generation      bigint NOT NULL DEFAULT nextval('sonique_vector_generation')
);

CREATE TABLE track_embeddings (
    id                bigserial PRIMARY KEY,
    track_id          bigint NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    embedding_type    text NOT NULL REFERENCES embedding_types (embedding_type) ON DELETE CASCADE,
    embedding_source  text,
    embedding_model   text,
    dimension         integer NOT NULL,
    vector            real[] NOT NULL CHECK (cardinality(vector) = dimension),
    date_added        timestamptz NOT NULL DEFAULT now(),
    date_modified     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (track_id, embedding_type)
);
CREATE INDEX track_embeddings_type ON track_embeddings (embedding_type, track_id);

-- A statement that writes vectors gives their types a new generation; one that removes the last
-- vector of a type removes the type (its dimension is free again).
CREATE FUNCTION sonique_embeddings_written() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    UPDATE embedding_types e SET generation = nextval('sonique_vector_generation')
    WHERE e.embedding_type IN (SELECT embedding_type FROM new_rows);
    RETURN NULL;
END $$;

CREATE FUNCTION sonique_embeddings_removed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    UPDATE embedding_types e SET generation = nextval('sonique_vector_generation')
    WHERE e.embedding_type IN (SELECT embedding_type FROM old_rows);
    DELETE FROM embedding_types e
    WHERE e.embedding_type IN (SELECT embedding_type FROM old_rows)
      AND NOT EXISTS (SELECT 1 FROM track_embeddings t WHERE t.embedding_type = e.embedding_type);
    RETURN NULL;
END $$;

CREATE TRIGGER track_embeddings_inserted AFTER INSERT ON track_embeddings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_embeddings_written();
CREATE TRIGGER track_embeddings_updated AFTER UPDATE ON track_embeddings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_embeddings_written();
CREATE TRIGGER track_embeddings_deleted AFTER DELETE ON track_embeddings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION sonique_embeddings_removed();
