-- The playbackReport extension (reportPlayback; docs/subsonic.md): a now_playing row is also a
-- player's playback session. Rows written by scrobble with submission=false keep these columns
-- NULL (no state), as before. Never edit once landed: add a migration.
ALTER TABLE now_playing
    -- The last reported state; the position in ms and the rate at updated_at (the report's
    -- time): while playing, the position moves on by rate x elapsed time.
    ADD COLUMN state text CHECK (state IN ('starting', 'playing', 'paused', 'stopped')),
    ADD COLUMN position_ms bigint CHECK (position_ms >= 0),
    ADD COLUMN playback_rate double precision CHECK (playback_rate > 0),
    -- The media time heard while playing in this session (since its `starting`), in ms.
    ADD COLUMN listened_ms double precision NOT NULL DEFAULT 0,
    -- The session can no longer count a play: it was counted, stopped, expired, or a report
    -- asked for no scrobble (ignoreScrobble).
    ADD COLUMN session_closed boolean NOT NULL DEFAULT false,
    -- The last report counted the session's play (read back by the statement that wrote it).
    ADD COLUMN counted boolean NOT NULL DEFAULT false;
