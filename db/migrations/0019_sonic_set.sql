-- The sonic vector set (docs/analysis.md, "The sonic set"). Its index is derived from
-- track_analysis; these columns and tables let it follow the rows without reading them all.
-- Never edit once landed: add a migration.

-- Every row carries the generation (sonique_vector_generation, migration 0015) of the statement
-- that wrote it: the set reads only the rows newer than its index.
ALTER TABLE track_analysis ADD COLUMN generation bigint NOT NULL DEFAULT 0;
CREATE INDEX track_analysis_generation ON track_analysis (generation);

-- The set's generation: every statement that writes or removes track_analysis rows (the
-- removal of a track included, through the cascade) takes a new value, greater than those of
-- the rows it wrote.
CREATE TABLE sonic_set_state (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    generation  bigint NOT NULL
);
INSERT INTO sonic_set_state (generation) VALUES (nextval('sonique_vector_generation'));

-- The library statistics the sonic vectors were standardised with, per analyser version: the
-- mean and standard deviation of each raw feature over `tracks` analysed tracks, computed when
-- the set was last rebuilt. New vectors between rebuilds are standardised with them.
CREATE TABLE sonic_stats (
    version      integer PRIMARY KEY,
    tracks       integer NOT NULL,
    mean         real[] NOT NULL,
    stddev       real[] NOT NULL,
    computed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION sonique_analysis_row_generation() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    NEW.generation := nextval('sonique_vector_generation');
    RETURN NEW;
END $$;

CREATE FUNCTION sonique_analysis_written() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path FROM CURRENT
    AS $$
BEGIN
    UPDATE sonic_set_state SET generation = nextval('sonique_vector_generation');
    RETURN NULL;
END $$;

CREATE TRIGGER track_analysis_generation BEFORE INSERT OR UPDATE ON track_analysis
    FOR EACH ROW EXECUTE FUNCTION sonique_analysis_row_generation();
CREATE TRIGGER track_analysis_written AFTER INSERT OR UPDATE OR DELETE ON track_analysis
    FOR EACH STATEMENT EXECUTE FUNCTION sonique_analysis_written();

-- The last analysis run's progress (one run at a time across servers, so one row), for
-- GET /api/analysis/status: written by the run's owner after every stored batch and at the end.
CREATE TABLE analysis_progress (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    task_id      text NOT NULL,
    status       text NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
    total        bigint NOT NULL DEFAULT 0,
    done         bigint NOT NULL DEFAULT 0,
    analysed     bigint NOT NULL DEFAULT 0,
    failed       bigint NOT NULL DEFAULT 0,
    remaining_s  double precision,
    started_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
