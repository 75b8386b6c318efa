#include "scanner/session_store.hpp"

#include "core/log.hpp"
#include "db/lock_keys.hpp"
#include "db/sql_time.hpp"
#include "db/transaction.hpp"

namespace sonique::scanner::sessions {
namespace {

// The id's high half goes into the first key, its low half is the second. Two-key advisory
// locks never collide with the one-key root locks.
db::Params session_key(int64_t session_id) {
    auto id = static_cast<uint64_t>(session_id);
    return db::Params(db::lock_keys::kScanSessionSpace ^ static_cast<int32_t>(id >> 32),
                      static_cast<int32_t>(static_cast<uint32_t>(id)));
}

std::string session_json_sql() {
    using db::iso_timestamp_sql;
    return "json_build_object('id', id, 'directory', directory, 'status', status, "
           "'last_processed_file', last_processed_file, 'processed_files', processed_files, "
           "'total_files', total_files, 'task_id', task_id, 'started_at', " +
           iso_timestamp_sql("started_at") + ", 'updated_at', " + iso_timestamp_sql("updated_at") +
           ", 'finished_at', CASE WHEN finished_at IS NULL THEN NULL ELSE " +
           iso_timestamp_sql("finished_at") +
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
        "SELECT json_build_object('session_id', s.id, 'total', s.error_count, 'errors', "
        "(SELECT COALESCE(json_agg(json_build_object('id', e.id, 'path', e.path, 'reason', "
        "e.reason, 'created_at', " +
        db::iso_timestamp_sql("e.created_at") +
        ") ORDER BY e.id), '[]'::json) FROM "
        "(SELECT * FROM scan_errors WHERE session_id = $1 ORDER BY id OFFSET $2 LIMIT $3) e)) "
        "FROM scan_sessions s WHERE s.id = $1";
    return kSql;
}

}  // namespace

int64_t open(db::Connection& conn, const std::string& directory, const std::string& task_id,
             bool cleanup_deleted) {
    db::Transaction tx(conn);
    auto r = conn.exec(
        "INSERT INTO scan_sessions (directory, task_id, cleanup_deleted) VALUES ($1, $2, $3) "
        "RETURNING id",
        db::Params(directory, task_id, cleanup_deleted));
    int64_t id = r.int64(0, 0);
    // The lock is the connection's, not the transaction's: it outlives the commit.
    conn.exec("SELECT pg_advisory_lock($1, $2)", session_key(id));
    tx.commit();
    return id;
}

void record_batch(db::Connection& conn, int64_t session_id, const BatchProgress& p) {
    conn.exec(
        "UPDATE scan_sessions SET processed_files = $2, total_files = $3, "
        "last_processed_file = COALESCE($4, last_processed_file), "
        "added_files = added_files + $5, updated_files = updated_files + $6, "
        "error_count = error_count + $7, updated_at = now() WHERE id = $1",
        db::Params(session_id, p.processed, p.total, p.last_file, p.added, p.updated, p.errors));
}

void record_removed(db::Connection& conn, int64_t session_id, int64_t removed) {
    conn.exec(
        "UPDATE scan_sessions SET removed_files = removed_files + $2, updated_at = now() "
        "WHERE id = $1",
        db::Params(session_id, removed));
}

void finish(db::Connection& conn, int64_t session_id, const std::string& status,
            const std::string& result_json) {
    conn.exec(
        "UPDATE scan_sessions SET status = $2, result = $3::jsonb, finished_at = now(), "
        // Batches update the counts as they commit; a completed scan with nothing to write has
        // none. An interrupted scan keeps what its batches recorded (a statement cancelled by
        // cancel() leaves a summary without counts).
        "updated_at = now(), total_files = CASE WHEN $2 = 'completed' THEN "
        "($3::jsonb->>'found')::bigint ELSE total_files END, "
        "processed_files = CASE WHEN $2 = 'completed' THEN ($3::jsonb->>'found')::bigint "
        "ELSE processed_files END WHERE id = $1",
        db::Params(session_id, status, result_json));
}

void reap_stale(db::Connection& conn, int64_t except) {
    auto running = conn.exec("SELECT id FROM scan_sessions WHERE status = 'running' AND id <> $1",
                             db::Params(except));
    for (int i = 0; i < running.rows(); ++i) {
        int64_t id = running.int64(i, 0);
        if (!conn.exec("SELECT pg_try_advisory_lock($1, $2)", session_key(id)).boolean(0, 0))
            continue;  // its scan is alive, here or elsewhere
        // Unlocked whatever happens: a pool connection that kept it would make the session
        // look alive for as long as the connection lives.
        try {
            conn.exec(
                "UPDATE scan_sessions SET status = 'failed', finished_at = now(), "
                "updated_at = now(), result = '{\"error\": \"interrupted\"}' "
                "WHERE id = $1 AND status = 'running'",
                db::Params(id));
        } catch (...) {
            conn.exec("SELECT pg_advisory_unlock($1, $2)", session_key(id));
            throw;
        }
        conn.exec("SELECT pg_advisory_unlock($1, $2)", session_key(id));
        log::info("scan session ", id, " was left running by a process that is gone: failed");
    }
}

std::optional<std::string> covering_task(db::Connection& conn, const std::string& directory,
                                         const std::string& root) {
    // Containment in SQL, as path_within() has it: a session's directory holds this one when it
    // is equal or a prefix ending at a '/'.
    auto r = conn.exec(
        "SELECT (SELECT task_id FROM scan_sessions WHERE status = 'running' AND "
        "($1 = directory OR starts_with($1, rtrim(directory, '/') || '/')) "
        "ORDER BY id DESC LIMIT 1), EXISTS (SELECT 1 FROM scan_sessions WHERE "
        "status = 'running' AND ($2 = directory OR starts_with(directory, $2 || '/')))",
        db::Params(directory, root));
    if (!r.is_null(0, 0)) return r.str(0, 0);
    if (r.boolean(0, 1)) return std::string();
    return std::nullopt;
}

std::string list_json(db::Connection& conn) {
    reap_stale(conn, 0);  // the reader's connection holds no session lock
    return conn.exec(list_sql()).str(0, 0);
}

std::optional<std::string> get_json(db::Connection& conn, int64_t id) {
    reap_stale(conn, 0);
    auto r = conn.exec(get_sql(), db::Params(id));
    if (r.empty()) return std::nullopt;
    return r.str(0, 0);
}

std::optional<std::string> errors_json(db::Connection& conn, int64_t id, int64_t skip,
                                       int64_t limit) {
    auto r = conn.exec(errors_sql(), db::Params(id, skip, limit));
    if (r.empty()) return std::nullopt;
    return r.str(0, 0);
}

std::optional<std::string> task_status_json(db::Connection& conn, const std::string& task_id) {
    reap_stale(conn, 0);
    auto r = conn.exec(
        "SELECT json_build_object('task_id', task_id, 'status', status, 'result', result) "
        "FROM scan_sessions WHERE task_id = $1",
        db::Params(task_id));
    if (r.empty()) return std::nullopt;
    return r.str(0, 0);
}

bool remove(db::Connection& conn, int64_t id) {
    return conn.exec("DELETE FROM scan_sessions WHERE id = $1", db::Params(id)).affected() > 0;
}

}  // namespace sonique::scanner::sessions
