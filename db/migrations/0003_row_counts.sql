-- Exact row counts of artists, albums and tracks in constant time, for the lists' "count" and
-- the count routes (count(*) reads the whole table: ~0.1 ms per 2,000 rows, every request).
-- Never edit once landed: add a migration.
--
-- Every statement that inserts or deletes rows appends its delta, so writers never wait for
-- each other on a counter row. sonique_row_count() sums a table's deltas, in the reader's
-- snapshot like the rows themselves. When a table has many deltas, the writer that adds one
-- folds them into one row, skipping rows that another transaction is folding: it never waits.
CREATE TABLE row_count_deltas (
    tbl   text   NOT NULL,
    delta bigint NOT NULL
);
CREATE INDEX row_count_deltas_tbl ON row_count_deltas (tbl);

CREATE FUNCTION sonique_row_count(t text) RETURNS bigint
    LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(sum(delta), 0)::bigint FROM row_count_deltas WHERE tbl = t $$;

CREATE FUNCTION sonique_fold_row_counts(t text) RETURNS void
    LANGUAGE sql VOLATILE
    AS $$
WITH gone AS (
    DELETE FROM row_count_deltas
    WHERE ctid IN (SELECT ctid FROM row_count_deltas WHERE tbl = t FOR UPDATE SKIP LOCKED)
    RETURNING delta
)
INSERT INTO row_count_deltas (tbl, delta)
SELECT t, sum(delta) FROM gone HAVING count(*) > 0
$$;

CREATE FUNCTION sonique_add_row_count(t text, n bigint) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    INSERT INTO row_count_deltas (tbl, delta) VALUES (t, n);
    IF (SELECT count(*) FROM (SELECT 1 FROM row_count_deltas WHERE tbl = t LIMIT 33) s) > 32 THEN
        PERFORM sonique_fold_row_counts(t);
    END IF;
END $$;

CREATE FUNCTION sonique_count_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM sonique_add_row_count(TG_TABLE_NAME, (SELECT count(*) FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION sonique_count_deleted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM sonique_add_row_count(TG_TABLE_NAME, -(SELECT count(*) FROM old_rows));
    RETURN NULL;
END $$;

-- TRUNCATE holds the table exclusively: no other writer has a delta in flight.
CREATE FUNCTION sonique_count_truncated() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    DELETE FROM row_count_deltas WHERE tbl = TG_TABLE_NAME;
    RETURN NULL;
END $$;

CREATE TRIGGER artists_count_inserted AFTER INSERT ON artists
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_inserted();
CREATE TRIGGER artists_count_deleted AFTER DELETE ON artists
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_deleted();
CREATE TRIGGER artists_count_truncated AFTER TRUNCATE ON artists
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_truncated();

CREATE TRIGGER albums_count_inserted AFTER INSERT ON albums
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_inserted();
CREATE TRIGGER albums_count_deleted AFTER DELETE ON albums
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_deleted();
CREATE TRIGGER albums_count_truncated AFTER TRUNCATE ON albums
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_truncated();

CREATE TRIGGER tracks_count_inserted AFTER INSERT ON tracks
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_inserted();
CREATE TRIGGER tracks_count_deleted AFTER DELETE ON tracks
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_deleted();
CREATE TRIGGER tracks_count_truncated AFTER TRUNCATE ON tracks
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_count_truncated();

-- The rows already there (the migration runs under the migrations lock, before serving).
INSERT INTO row_count_deltas (tbl, delta)
SELECT 'artists', count(*) FROM artists UNION ALL
SELECT 'albums', count(*) FROM albums UNION ALL
SELECT 'tracks', count(*) FROM tracks;
