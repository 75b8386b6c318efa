#include "analysis_store.hpp"

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
                           $6::text[]) AS i(track_id, features, seconds, mtime, size, reason)
      JOIN tracks t ON t.id = i.track_id
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
    for (const auto& r : results) {
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
                         kAnalyserVersion));
}

}  // namespace sonique::analysis::store
