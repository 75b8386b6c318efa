#include "analysis_store.hpp"

#include <cmath>
#include <cstdio>

#include "analysed_values.hpp"
#include "db/lock_keys.hpp"
#include "pg_arrays.hpp"

namespace sonique::analysis::store {
namespace {

// $1 full, $2 roots (text[], NULL for all), $3 analyser version.
constexpr const char* kPendingWhere = R"SQL(
    ($2::text[] IS NULL OR EXISTS (
        SELECT 1 FROM unnest($2::text[]) AS r(root) WHERE starts_with(t.path, r.root || '/')))
    AND ($1 OR NOT EXISTS (
        SELECT 1 FROM track_analysis a
         WHERE a.track_id = t.id AND a.version = $3
           AND a.file_mtime IS NOT DISTINCT FROM t.file_mtime
           AND a.file_size IS NOT DISTINCT FROM t.file_size))
    AND ($1 OR NOT EXISTS (
        SELECT 1 FROM analysis_failures f
         WHERE f.track_id = t.id AND f.version = $3
           AND f.file_mtime IS NOT DISTINCT FROM t.file_mtime
           AND f.file_size IS NOT DISTINCT FROM t.file_size)))SQL";

const std::string kCountSql = std::string("SELECT count(*) FROM tracks t WHERE ") + kPendingWhere;
const std::string kNextSql =
    std::string(
        "SELECT t.id, t.path, t.file_mtime, t.file_size FROM tracks t WHERE t.id > $4 AND ") +
    kPendingWhere + " ORDER BY t.id LIMIT $5";

constexpr const char* kSaveSql = R"SQL(
WITH input AS (
    SELECT i.* FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::float8[], $5::bigint[],
                           $6::text[], $8::float8[], $9::text[], $10::text[], $11::float8[],
                           $12::float8[], $13::float8[])
                 AS i(track_id, features, seconds, mtime, size, reason, bpm, key, scale,
                      loudness, gain, peak)
      JOIN tracks t ON t.id = i.track_id
), valued AS (
    INSERT INTO analysed_track_values AS v (track_id, bpm, key, scale, loudness,
                                            replaygain_track_gain, replaygain_track_peak)
    SELECT track_id, bpm, key, scale, loudness, gain, peak FROM input WHERE reason IS NULL
    ON CONFLICT (track_id) DO UPDATE
       SET bpm = EXCLUDED.bpm, key = EXCLUDED.key, scale = EXCLUDED.scale,
           loudness = EXCLUDED.loudness, replaygain_track_gain = EXCLUDED.replaygain_track_gain,
           replaygain_track_peak = EXCLUDED.replaygain_track_peak
), analysed AS (
    INSERT INTO track_analysis AS a
           (track_id, version, features, seconds_analysed, file_mtime, file_size)
    SELECT track_id, $7, features::real[], seconds, mtime, size FROM input WHERE reason IS NULL
    ON CONFLICT (track_id) DO UPDATE
       SET version = EXCLUDED.version, features = EXCLUDED.features,
           seconds_analysed = EXCLUDED.seconds_analysed, file_mtime = EXCLUDED.file_mtime,
           file_size = EXCLUDED.file_size, analysed_at = now()
    RETURNING a.track_id
), cleared AS (
    DELETE FROM analysis_failures f USING analysed WHERE f.track_id = analysed.track_id
)
INSERT INTO analysis_failures AS f (track_id, version, reason, file_mtime, file_size)
SELECT track_id, $7, reason, mtime, size FROM input WHERE reason IS NOT NULL
ON CONFLICT (track_id) DO UPDATE
   SET version = EXCLUDED.version, reason = EXCLUDED.reason, file_mtime = EXCLUDED.file_mtime,
       file_size = EXCLUDED.file_size, failed_at = now())SQL";

// The album values of the albums of $1's tracks (bigint[]; NULL: every album), from their
// analysed tracks that are not silent: the energy mean of their loudness weighted by duration,
// then again over the tracks at most 10 LU under that mean (BS.1770's relative gate, applied per
// track), and the largest true peak. Albums left without such a track lose their row, and so,
// on a refresh of every album, do rows of albums deleted while their row was being written.
// Answers how many album rows were written or removed.
constexpr const char* kAlbumsSql = R"SQL(
WITH scope AS (
    SELECT al.id FROM albums al
     WHERE $1::bigint[] IS NULL
        OR al.id IN (SELECT t.album_id FROM tracks t WHERE t.id = ANY($1::bigint[]))
), measured AS (
    SELECT t.album_id, v.loudness, v.replaygain_track_peak AS peak,
           COALESCE(NULLIF(t.duration, 0)::float8, a.seconds_analysed, 1) AS w
      FROM scope s JOIN tracks t ON t.album_id = s.id
      JOIN analysed_track_values v ON v.track_id = t.id
      LEFT JOIN track_analysis a ON a.track_id = t.id
     WHERE v.loudness IS NOT NULL AND v.replaygain_track_peak IS NOT NULL
), ungated AS (
    SELECT album_id, 10 * log(sum(w * power(10, loudness / 10)) / sum(w)) AS level
      FROM measured GROUP BY album_id
), album AS (
    SELECT m.album_id, 10 * log(sum(m.w * power(10, m.loudness / 10)) / sum(m.w)) AS loudness,
           (SELECT max(x.peak) FROM measured x WHERE x.album_id = m.album_id) AS peak,
           count(*) AS tracks
      FROM measured m JOIN ungated u USING (album_id)
     WHERE m.loudness >= u.level - 10
     GROUP BY m.album_id
), gone AS (
    DELETE FROM analysed_album_values x
     WHERE NOT EXISTS (SELECT 1 FROM album a WHERE a.album_id = x.album_id)
       AND (x.album_id IN (SELECT id FROM scope)
            OR ($1::bigint[] IS NULL AND NOT EXISTS (SELECT 1 FROM albums al
                                                      WHERE al.id = x.album_id)))
    RETURNING 1
), written AS (
    INSERT INTO analysed_album_values AS x
           (album_id, loudness, replaygain_album_gain, replaygain_album_peak, tracks)
    SELECT album_id, round(loudness::numeric, 2), round(($2 - loudness)::numeric, 2), peak,
           tracks
      FROM album
    ON CONFLICT (album_id) DO UPDATE
       SET loudness = EXCLUDED.loudness, replaygain_album_gain = EXCLUDED.replaygain_album_gain,
           replaygain_album_peak = EXCLUDED.replaygain_album_peak, tracks = EXCLUDED.tracks,
           computed_at = now()
     WHERE (x.loudness, x.replaygain_album_gain, x.replaygain_album_peak, x.tracks)
           IS DISTINCT FROM (EXCLUDED.loudness, EXCLUDED.replaygain_album_gain,
                             EXCLUDED.replaygain_album_peak, EXCLUDED.tracks)
    RETURNING 1
)
SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM written))SQL";

// A rounded value as array text: ten significant digits, so that -6.53 is not written as
// -6.5300000000000002.
std::optional<std::string> short_number(std::optional<double> v) {
    if (!v || !std::isfinite(*v)) return std::nullopt;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", *v);
    return std::string(buf);
}

std::optional<std::string> roots_param(const std::vector<std::string>& roots) {
    if (roots.empty()) return std::nullopt;
    std::vector<std::optional<std::string>> values(roots.begin(), roots.end());
    return pg::text_array(values);
}

}  // namespace

bool try_lock(db::Connection& conn) {
    return conn.exec("SELECT pg_try_advisory_lock($1)", db::Params(db::lock_keys::kAnalysis))
        .boolean(0, 0);
}

int64_t count_pending(db::Connection& conn, bool full, const std::vector<std::string>& roots) {
    return conn.exec_custom(kCountSql, db::Params(full, roots_param(roots), kAnalyserVersion))
        .int64(0, 0);
}

std::vector<PendingTrack> next_pending(db::Connection& conn, bool full,
                                       const std::vector<std::string>& roots, int64_t after,
                                       int limit) {
    auto r =
        conn.exec(kNextSql, db::Params(full, roots_param(roots), kAnalyserVersion, after, limit));
    std::vector<PendingTrack> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({r.int64(i, 0), r.str(i, 1), r.opt_dbl(i, 2), r.opt_int64(i, 3)});
    return out;
}

void save(db::Connection& conn, const std::vector<Result>& results) {
    if (results.empty()) return;
    std::vector<std::optional<std::string>> ids, features, seconds, mtimes, sizes, reasons;
    std::vector<std::optional<std::string>> bpm, key, scale, loudness, gain, peak;
    for (const auto& r : results) {
        AnalysedValues v = r.features ? analysed_values(r.features->values) : AnalysedValues{};
        bpm.push_back(short_number(v.bpm));
        key.push_back(v.key);
        scale.push_back(v.scale);
        loudness.push_back(short_number(v.loudness));
        gain.push_back(short_number(v.track_gain));
        peak.push_back(short_number(v.track_peak));
        ids.push_back(std::to_string(r.track.id));
        features.push_back(r.features ? std::optional(pg::real_array(r.features->values))
                                      : std::nullopt);
        seconds.push_back(pg::number(r.features ? r.features->seconds_analysed : 0.0));
        mtimes.push_back(pg::number(r.track.file_mtime));
        sizes.push_back(r.track.file_size ? std::optional(std::to_string(*r.track.file_size))
                                          : std::nullopt);
        reasons.push_back(r.features ? std::nullopt : std::optional(r.error));
    }
    conn.exec(kSaveSql,
              db::Params(pg::text_array(ids), pg::text_array(features), pg::text_array(seconds),
                         pg::text_array(mtimes), pg::text_array(sizes), pg::text_array(reasons),
                         kAnalyserVersion, pg::text_array(bpm), pg::text_array(key),
                         pg::text_array(scale), pg::text_array(loudness), pg::text_array(gain),
                         pg::text_array(peak)));
}

int64_t refresh_albums(db::Connection& conn, const std::vector<int64_t>* track_ids) {
    std::optional<std::string> ids;
    if (track_ids) {
        std::vector<std::optional<std::string>> text;
        for (int64_t id : *track_ids)
            text.push_back(std::to_string(id));
        ids = pg::text_array(text);
    }
    return conn.exec(kAlbumsSql, db::Params(ids, kReplayGainReference)).int64(0, 0);
}

}  // namespace sonique::analysis::store
