// ScanService: scan sessions, their errors and task status (api.md §10).
#include "core/error.hpp"
#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "services/scan.hpp"

namespace sonique::services {
namespace {

std::string session_json_sql() {
    return "json_build_object('id', id, 'directory', directory, 'status', status, "
           "'last_processed_file', last_processed_file, 'processed_files', processed_files, "
           "'total_files', total_files, 'task_id', task_id, 'started_at', " +
           iso_ts_sql("started_at") + ", 'updated_at', " + iso_ts_sql("updated_at") +
           ", 'finished_at', CASE WHEN finished_at IS NULL THEN NULL ELSE " +
           iso_ts_sql("finished_at") +
           " END, 'cleanup_deleted', cleanup_deleted, 'added_files', added_files, "
           "'updated_files', updated_files, 'removed_files', removed_files, "
           "'error_count', error_count, 'result', result)";
}

const std::string& list_sql() {
    static const std::string kSql = "SELECT COALESCE(json_agg(" + session_json_sql() +
                                    " ORDER BY started_at DESC, id DESC), '[]'::json) "
                                    "FROM scan_sessions";
    return kSql;
}

const std::string& get_sql() {
    static const std::string kSql =
        "SELECT " + session_json_sql() + " FROM scan_sessions WHERE id = $1";
    return kSql;
}

const std::string& errors_sql() {
    static const std::string kSql =
        "SELECT COALESCE(json_agg(json_build_object('id', id, 'path', path, 'reason', reason, "
        "'created_at', " +
        iso_ts_sql("created_at") +
        ") ORDER BY id), '[]'::json) FROM "
        "(SELECT * FROM scan_errors WHERE session_id = $1 ORDER BY id OFFSET $2 LIMIT $3) e";
    return kSql;
}

}  // namespace

Json ScanService::list_sessions() {
    auto conn = ctx_.pool.acquire();
    reap_stale_sessions(*conn, 0);  // the pool's connections hold no session lock
    auto r = conn->exec(list_sql());
    return parse_json(r.text(0, 0));
}

Json ScanService::get_session(int64_t id) {
    auto conn = ctx_.pool.acquire();
    reap_stale_sessions(*conn, 0);
    auto r = conn->exec(get_sql(), db::Params(id));
    if (r.empty()) throw not_found("Scan session not found");
    return parse_json(r.text(0, 0));
}

void ScanService::delete_session(int64_t id) {
    auto r = ctx_.pool.acquire()->exec("DELETE FROM scan_sessions WHERE id = $1", db::Params(id));
    if (r.affected() == 0) throw not_found("Scan session not found");
}

Json ScanService::session_errors(int64_t id, int64_t skip, int64_t limit) {
    auto conn = ctx_.pool.acquire();
    auto s = conn->exec("SELECT error_count FROM scan_sessions WHERE id = $1", db::Params(id));
    if (s.empty()) throw not_found("Scan session not found");
    auto r = conn->exec(errors_sql(), db::Params(id, skip, limit));
    return Json{{"session_id", id}, {"total", s.int64(0, 0)}, {"errors", parse_json(r.text(0, 0))}};
}

Json ScanService::task_status(const std::string& task_id) {
    auto conn = ctx_.pool.acquire();
    reap_stale_sessions(*conn, 0);
    auto r = conn->exec("SELECT status, result::text FROM scan_sessions WHERE task_id = $1",
                        db::Params(task_id));
    if (r.empty()) throw not_found("Task not found");
    Json result = r.is_null(0, 1) ? Json() : parse_json(r.text(0, 1));
    return Json{{"task_id", task_id}, {"status", r.str(0, 0)}, {"result", result}};
}

}  // namespace sonique::services
