-- The triggers' and helpers' functions name tables and other functions without a schema, so
-- they resolved them through the caller's search_path. pg_restore (and pg_dump's plain SQL)
-- loads data with an empty search_path, so a data-only restore into a migrated database failed
-- at the first row-count trigger ("function sonique_add_row_count(name, bigint) does not
-- exist"). Each function now runs with the search_path the migrations ran with.
-- sonique_fold and sonique_leading_int are left alone: they name only qualified or built-in
-- functions, and index expressions inline them, which a SET clause would prevent.
-- Never edit once landed: add a migration.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND p.proname LIKE 'sonique\_%'
          AND p.proname NOT IN ('sonique_fold', 'sonique_leading_int')
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path FROM CURRENT', f);
    END LOOP;
END
$$;

-- Row counts made right again when they differ from the tables (one statement, one snapshot;
-- then under a SHARE lock, which waits for writers in flight). They differ after a data-only
-- restore that ran the triggers, which counts the rows a second time beside the restored
-- row_count_deltas, or after writes made with triggers disabled. `sonique migrate` checks the
-- counted tables on every run. Returns whether the count was wrong.
CREATE FUNCTION sonique_recount_rows(t text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE
    SET search_path FROM CURRENT
    AS $$
DECLARE
    actual bigint;
    wrong boolean;
BEGIN
    EXECUTE format('SELECT count(*), count(*) <> sonique_row_count(%L) FROM %I', t, t)
        INTO actual, wrong;
    IF NOT wrong THEN
        RETURN false;
    END IF;
    EXECUTE format('LOCK TABLE %I IN SHARE MODE', t);
    EXECUTE format('SELECT count(*) FROM %I', t) INTO actual;
    DELETE FROM row_count_deltas WHERE tbl = t;
    INSERT INTO row_count_deltas (tbl, delta) VALUES (t, actual);
    RETURN true;
END $$;
