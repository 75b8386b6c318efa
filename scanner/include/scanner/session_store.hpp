#pragma once
// Scan sessions (api-contract.md §10): every statement on the scan_sessions table, so that one
// layer writes its rows. A running scan writes its session through its own connection (the one that
// holds its locks); the reads take any connection and answer the contract's JSON text.
//
// A session's lock (the two-key advisory lock db::lock_keys::kScanSessionSpace ^ high half of
// its id, low half) is held by the scan's connection from the moment the row exists: a
// "running" session whose lock anyone can take belongs to a process that is gone, and is marked
// failed ("interrupted") by reap_stale().
//
// Every function throws db::DbError when the database fails. Any thread, one connection per
// thread.
#include <cstdint>
#include <optional>
#include <string>

#include "db/connection.hpp"

namespace sonique::scanner::sessions {

// Inserts a running session and takes its lock on conn, in one transaction (so that a reaper
// never sees it running and unlocked); the lock outlives the commit. Returns its id.
int64_t open(db::Connection& conn, const std::string& directory, const std::string& task_id,
             bool cleanup_deleted);

// A batch's progress, written in the batch's transaction (BatchWriter).
struct BatchProgress {
    int64_t processed = 0, total = 0;
    std::optional<std::string> last_file;  // keeps the previous one when unset
    int64_t added = 0, updated = 0, errors = 0;
};
void record_batch(db::Connection& conn, int64_t session_id, const BatchProgress& progress);
// Tracks removed because their files are gone, in the removal's transaction.
void record_removed(db::Connection& conn, int64_t session_id, int64_t removed);

// The session's end: status ("completed", "cancelled", "failed") and result (a JSON object's
// text). A completed scan's counts become its summary's "found"; an interrupted one keeps what
// its batches recorded.
void finish(db::Connection& conn, int64_t session_id, const std::string& status,
            const std::string& result_json);

// Marks failed ("interrupted") the running sessions whose lock is free, but `except` (0: none).
// conn must hold no session lock of its own but except's.
void reap_stale(db::Connection& conn, int64_t except);

// The running scan to join for directory (normal form) under root: its task id when the
// directory of a running session holds directory; "" when the running scan of root is of
// another folder; nullopt when no session of root is running yet (its row may be on its way).
std::optional<std::string> covering_task(db::Connection& conn, const std::string& directory,
                                         const std::string& root);

// Reads: the contract's JSON text. Each reaps stale sessions first, so that a session of a
// process that is gone is never shown running.
std::string list_json(db::Connection& conn);
std::optional<std::string> get_json(db::Connection& conn, int64_t id);  // nullopt: no session
// {"session_id", "total", "errors"}: a page of the session's errors; nullopt: no session.
std::optional<std::string> errors_json(db::Connection& conn, int64_t id, int64_t skip,
                                       int64_t limit);
// {"task_id", "status", "result"}; nullopt: no session has this task id.
std::optional<std::string> task_status_json(db::Connection& conn, const std::string& task_id);
// False when there was no such session.
bool remove(db::Connection& conn, int64_t id);

}  // namespace sonique::scanner::sessions
