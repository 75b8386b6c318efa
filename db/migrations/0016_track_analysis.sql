-- Sonic analysis (analysis/, docs/analysis.md). One row per analysed track: the analyser's raw
-- features (a fixed-length vector whose layout belongs to `version`), how many seconds of audio
-- they come from, and the file's mtime and size they were computed from. A track whose row has
-- another version or another mtime/size is analysed again; until then its old row keeps serving.
-- Never edit once landed: add a migration.
CREATE TABLE track_analysis (
    track_id          bigint PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    version           integer NOT NULL,
    features          real[] NOT NULL CHECK (cardinality(features) > 0),
    seconds_analysed  double precision NOT NULL,
    file_mtime        double precision,
    file_size         bigint,
    analysed_at       timestamptz NOT NULL DEFAULT now()
);

-- Files the analyser could not read (not audio, crashed or hung a decoder, over the time limit),
-- with the reason. Such a file is not tried again by the same analyser version until it changes.
CREATE TABLE analysis_failures (
    track_id    bigint PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
    version     integer NOT NULL,
    reason      text NOT NULL,
    file_mtime  double precision,
    file_size   bigint,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
