// The playbackReport extension (Annotations::report_playback) and the condition that decides
// which now_playing rows getNowPlaying shows. A row is a player's (user and client) playback
// session: `starting` opens one, the clock moves only while `playing`, and `stopped` closes it,
// counting one play when enough was heard (docs/subsonic.md, reportPlayback).
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "services/annotations.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

std::string now_playing_shown_sql(const std::string& np, const std::string& duration_s) {
    const std::string d = "COALESCE(" + duration_s + ", 540)";
    return "(CASE WHEN " + np + ".state IS NULL THEN " + np +
           ".updated_at > now() - make_interval(secs => " + d + " + 60) WHEN " + np +
           ".state = 'playing' THEN " + np +
           ".updated_at > now() - make_interval(secs => GREATEST(" + d + " - " + np +
           ".position_ms / 1000.0, 0) / " + np + ".playback_rate + 60) WHEN " + np +
           ".state = 'stopped' THEN false ELSE " + np +
           ".updated_at > now() - interval '30 minutes' END)";
}

std::string now_playing_position_sql(const std::string& np, const std::string& duration_s) {
    return "(CASE WHEN " + np + ".state = 'playing' THEN round(LEAST(" + np +
           ".position_ms + extract(epoch FROM now() - " + np + ".updated_at) * 1000 * " + np +
           ".playback_rate, COALESCE(NULLIF(" + duration_s + ", 0) * 1000.0, 'Infinity'))) ELSE " +
           np + ".position_ms END)::bigint";
}

namespace {

// The session's expressions inside ON CONFLICT DO UPDATE: np is the stored row (the previous
// report), $3..$7 the new one; v.dur the song's duration in ms (0: unknown).
const std::string kDur = "(SELECT dur FROM v)";
// A new session: `starting`, another song, a row of scrobble (no state), or a report after
// `stopped` other than another `stopped`.
const std::string kNewSession =
    "($4 = 'starting' OR np.track_id <> $3 OR np.state IS NULL OR (np.state = 'stopped' AND $4 "
    "<> 'stopped'))";
const std::string kElapsedMs = "(extract(epoch FROM now() - np.updated_at) * 1000)";
// No report for 30 minutes past the song's planned end (from the last report's position and
// rate): the spec's point where the server stops listening to the session.
const std::string kExpired =
    "(np.updated_at < now() - make_interval(secs => GREATEST(" + kDur +
    " - COALESCE(np.position_ms, 0), 0) / 1000.0 / COALESCE(np.playback_rate, 1) + 1800))";
// Media time heard since the last report: elapsed x rate while playing, at most what was left.
const std::string kHeard = "(CASE WHEN np.state = 'playing' THEN LEAST(" + kElapsedMs +
                           " * np.playback_rate, CASE WHEN " + kDur + " > 0 THEN GREATEST(" + kDur +
                           " - np.position_ms, 0) ELSE 'Infinity' END) ELSE 0 END)";
// Last.fm's rule: half the song or four minutes, whichever comes first.
const std::string kThreshold =
    "(CASE WHEN " + kDur + " > 0 THEN LEAST(" + kDur + " / 2, 240000) ELSE 240000 END)";
const std::string kCounts =
    "(NOT " + kNewSession + " AND $4 = 'stopped' AND NOT np.session_closed AND NOT $7 AND NOT " +
    kExpired + " AND np.listened_ms + " + kHeard + " >= " + kThreshold + ")";

// $1 user, $2 client, $3 track, $4 state, $5 position (ms), $6 rate, $7 ignoreScrobble. One
// statement: the user's other players' rows no longer shown (or past the 16 most recent) go,
// the row is written, and a counted play is added to the song and its album as scrobble adds
// it. The row lock of ON CONFLICT serialises two reports of one player: a play counts once.
std::string report_sql(const FolderScope& scope) {
    std::string sql =
        "WITH v AS (SELECT t.id, COALESCE(t.duration, 0) * 1000.0 AS dur FROM tracks t WHERE "
        "t.id = $3 AND " +
        scope_track_sql(scope, "t.path") +
        "), gone AS (DELETE FROM now_playing n WHERE n.user_id = $1 AND n.client <> $2 AND "
        "EXISTS (SELECT 1 FROM v) AND (n.id NOT IN (SELECT id FROM now_playing WHERE user_id "
        "= $1 AND client <> $2 ORDER BY updated_at DESC, id DESC LIMIT 15) OR NOT " +
        now_playing_shown_sql("n", "(SELECT duration FROM tracks WHERE id = n.track_id)") +
        ")), up AS (INSERT INTO now_playing AS np (user_id, client, track_id, state, "
        "position_ms, playback_rate, listened_ms, session_closed, counted) SELECT $1, $2, "
        "v.id, $4, $5, $6, 0, $7 OR $4 = 'stopped', false FROM v ON CONFLICT (user_id, "
        "client) DO UPDATE SET listened_ms = CASE WHEN " +
        kNewSession + " THEN 0 ELSE np.listened_ms + " + kHeard +
        " END, session_closed = CASE WHEN " + kNewSession + " THEN $7 OR $4 = 'stopped' ELSE " +
        "np.session_closed OR $7 OR $4 = 'stopped' OR " + kExpired + " END, counted = " + kCounts +
        ", track_id = EXCLUDED.track_id, state = EXCLUDED.state, position_ms = "
        "EXCLUDED.position_ms, playback_rate = EXCLUDED.playback_rate, updated_at = now() "
        "RETURNING np.track_id, np.counted), "
        "t AS (INSERT INTO user_track_data (user_id, track_id, play_count, played_at) SELECT "
        "$1, up.track_id, 1, now() FROM up WHERE up.counted ON CONFLICT (user_id, track_id) "
        "DO UPDATE SET play_count = user_track_data.play_count + 1, played_at = "
        "GREATEST(user_track_data.played_at, EXCLUDED.played_at) RETURNING 1), "
        "a AS (INSERT INTO user_album_data (user_id, album_id, play_count, played_at) SELECT "
        "$1, x.album_id, 1, now() FROM up JOIN tracks x ON x.id = up.track_id WHERE "
        "up.counted AND x.album_id IS NOT NULL ON CONFLICT (user_id, album_id) DO UPDATE SET "
        "play_count = user_album_data.play_count + 1, played_at = "
        "GREATEST(user_album_data.played_at, EXCLUDED.played_at) RETURNING 1) "
        "SELECT (SELECT count(*) FROM up), COALESCE((SELECT bool_or(counted) FROM up), false)";
    // Every use of a parameter typed, so that PostgreSQL never has to guess one.
    std::string out;
    static const char* const kTypes[] = {"",       "",         "",         "::bigint",
                                         "::text", "::bigint", "::float8", "::boolean"};
    for (size_t i = 0; i < sql.size(); ++i) {
        out += sql[i];
        if (sql[i] == '$' && i + 1 < sql.size() && sql[i + 1] >= '3' && sql[i + 1] <= '7') {
            out += sql[++i];
            out += kTypes[sql[i] - '0'];
        }
    }
    return out;
}

const char* state_name(PlaybackState s) {
    switch (s) {
        case PlaybackState::kStarting:
            return "starting";
        case PlaybackState::kPlaying:
            return "playing";
        case PlaybackState::kPaused:
            return "paused";
        case PlaybackState::kStopped:
            return "stopped";
    }
    return "stopped";
}

}  // namespace

bool Annotations::report_playback(const PlaybackReport& r, const std::string& client) {
    if (r.position_ms < 0 || !(r.rate > 0) || r.rate > kMaxPlaybackRate)
        throw bad_request("The position or the playback rate is out of range");
    auto res = ctx_.pool.acquire()->exec(
        report_sql(scope_), db::Params(user_, client, r.track, std::string(state_name(r.state)),
                                       r.position_ms, r.rate, r.ignore_scrobble));
    if (res.int64(0, 0) == 0) throw not_found("Song not found");
    bool counted = res.boolean(0, 1);
    if (counted) bump();
    return counted;
}

}  // namespace sonique::services
