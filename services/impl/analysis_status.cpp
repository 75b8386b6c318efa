// AnalysisService's status and progress: GET /api/analysis/status (docs/analysis.md).
#include "analysis/features.hpp"
#include "core/json.hpp"
#include "cover_shape.hpp"
#include "db/lock_keys.hpp"
#include "db/pool.hpp"
#include "services/analysis.hpp"
#include "services/sonic_index.hpp"

namespace sonique::services {
namespace {

// pg_locks shows a bigint advisory key as its high (classid) and low (objid) 32 bits; it lists
// every database's locks, and an advisory lock only excludes within its own database.
const std::string kStatusSql =
    "SELECT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND "
    "l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND "
    "l.objsubid = 1 AND l.classid::bigint = ($1::bigint >> 32) AND l.objid::bigint = ($1::bigint "
    "& 4294967295)), p.task_id, p.status, p.total, p.done, p.analysed, p.failed, p.remaining_s, " +
    iso_ts_sql("p.started_at") + ", " + iso_ts_sql("p.updated_at") +
    ", (SELECT count(*) FROM tracks), (SELECT count(*) FROM track_analysis WHERE version = $2), "
    "(SELECT count(*) FROM track_analysis WHERE version <> $2), (SELECT count(*) FROM "
    "analysis_failures) FROM (SELECT 1) one LEFT JOIN analysis_progress p ON true";

Json set_json(const SonicSetStatus& s) {
    return {{"ready", s.ready},
            {"building", s.building},
            {"size", s.size},
            {"rebuilds", s.rebuilds},
            {"catch_ups", s.catch_ups}};
}

}  // namespace

JsonText AnalysisService::status() {
    auto r = ctx_.pool.acquire()->exec(
        kStatusSql, db::Params(db::lock_keys::kAnalysis, int64_t{analysis::kAnalyserVersion}));
    bool running = r.boolean(0, 0);
    Json out{{"running", running},         {"analyser_version", analysis::kAnalyserVersion},
             {"tracks", r.int64(0, 10)},   {"analysed", r.int64(0, 11)},
             {"outdated", r.int64(0, 12)}, {"failures", r.int64(0, 13)}};
    Json task = nullptr;
    if (!r.is_null(0, 1)) {
        // A row that says running while no server holds the lock belongs to a killed run.
        std::string status = r.str(0, 2);
        if (status == "running" && !running) status = "interrupted";
        task = {{"task_id", r.str(0, 1)},
                {"status", status},
                {"total", r.int64(0, 3)},
                {"done", r.int64(0, 4)},
                {"analysed", r.int64(0, 5)},
                {"failed", r.int64(0, 6)},
                {"remaining_s", r.is_null(0, 7) ? Json(nullptr) : Json(r.dbl(0, 7))},
                {"started_at", r.str(0, 8)},
                {"updated_at", r.str(0, 9)}};
    }
    out["task"] = task;
    Json index = nullptr;
    if (ctx_.sonic) {
        auto s = ctx_.sonic->status();
        index = {{"tracks", set_json(s.tracks)},
                 {"artists", set_json(s.artists)},
                 {"albums", set_json(s.albums)}};
    }
    out["sonic_index"] = index;
    return JsonText(dump_json(out));
}

void AnalysisService::record_progress(const std::string& task_id, const std::string& status,
                                      const Progress& p) {
    static const char* const sql =
        "INSERT INTO analysis_progress AS p (task_id, status, total, done, analysed, failed, "
        "remaining_s) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (one) DO UPDATE SET "
        "task_id = EXCLUDED.task_id, status = EXCLUDED.status, total = EXCLUDED.total, done = "
        "EXCLUDED.done, analysed = EXCLUDED.analysed, failed = EXCLUDED.failed, remaining_s = "
        "EXCLUDED.remaining_s, updated_at = now(), started_at = CASE WHEN p.task_id = "
        "EXCLUDED.task_id THEN p.started_at ELSE now() END";
    ctx_.pool.acquire()->exec(
        sql, db::Params(task_id, status, p.total, p.done, p.analysed, p.failed, p.remaining_s));
}

}  // namespace sonique::services
