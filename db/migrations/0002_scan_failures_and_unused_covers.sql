-- Files the tag reader could not read, and the removal of cover images nothing uses.
-- Never edit once landed: add a migration.

-- A file that failed, with the size and mtime it had then: the next scan does not read it
-- again while both are unchanged (a file that hangs the reader would cost the read timeout on
-- every scan). The row goes when the file is read successfully or disappears.
CREATE TABLE scan_failures (
    path        text PRIMARY KEY,
    file_size   bigint NOT NULL,
    file_mtime  double precision NOT NULL,
    reason      text NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);

-- Writers of covers rows call this first in their transaction: a cover_images row they found
-- cannot be removed by sonique_remove_unused_cover_images before their covers row commits.
-- Shared, so writers never wait for each other.
CREATE FUNCTION sonique_lock_cover_images() RETURNS void
    LANGUAGE sql VOLATILE
    AS $$ SELECT pg_advisory_xact_lock_shared(7302914530120) $$;

-- Deletes the cover_images rows that no covers row refers to (all of them, or only those among
-- candidates), in one statement. Returns how many went, or NULL when a cover writer is inside
-- its transaction: then nothing is done and a later call collects them. Never waits.
CREATE FUNCTION sonique_remove_unused_cover_images(candidates bigint[] DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    removed bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7302914530120) THEN
        RETURN NULL;
    END IF;
    DELETE FROM cover_images ci
    WHERE (candidates IS NULL OR ci.id = ANY (candidates))
      AND NOT EXISTS (SELECT 1 FROM covers c WHERE c.image_id = ci.id);
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed;
END $$;
