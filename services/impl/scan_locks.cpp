// ScanService: one scan per library root at a time, across processes, and sessions that outlive
// the process that ran them.
//
// Two kinds of PostgreSQL advisory locks, held by a scan's own connection (so that they go with
// it, also when its process is killed):
// - the root lock, on the library root that holds the scanned directory: a scan of a subfolder
//   and a scan of its root never run together (a CLI folder outside the roots is its own root,
//   and also takes the locks of the roots inside it);
// - the session lock, on the session's id, from the moment its row exists: a "running" session
//   whose lock anyone can take belongs to nobody, and is marked failed ("interrupted").
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "core/log.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/scan.hpp"

namespace sonique::services {
namespace fs = std::filesystem;
namespace {

// The session locks' first key ("sonq"); the second is the session id. Two-key advisory locks
// never collide with the one-key root locks.
constexpr int32_t kSessionLockSpace = 0x736f6e71;

constexpr std::chrono::milliseconds kLockPoll{200};

bool under_or_equal(const fs::path& p, const fs::path& root) {
    if (p == root) return true;
    auto rel = p.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

// The id's high half goes into the first key, its low half is the second.
db::Params session_key(int64_t session_id) {
    auto id = static_cast<uint64_t>(session_id);
    return db::Params(kSessionLockSpace ^ static_cast<int32_t>(id >> 32),
                      static_cast<int32_t>(static_cast<uint32_t>(id)));
}

// "/music/" and "/music" are one folder, and one lock.
fs::path normal(const std::string& path) {
    std::string p = fs::path(path).lexically_normal().string();
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

// Resolved, so that a root reached through a link is one root, whatever its spelling.
fs::path resolved(const std::string& p) {
    std::error_code ec;
    auto c = fs::weakly_canonical(p, ec);
    return ec ? normal(p) : normal(c.string());
}

}  // namespace

std::string ScanService::root_of(const std::string& directory) const {
    fs::path d = resolved(directory);
    for (const auto& r : ctx_.config.music_roots) {
        fs::path root = resolved(r);
        if (under_or_equal(d, root)) return root.string();
    }
    return d.string();  // a CLI folder outside MUSIC_PATH is its own root
}

std::vector<std::string> ScanService::roots_locked_by(const std::string& directory) const {
    std::vector<std::string> out{root_of(directory)};
    // A CLI folder that holds library roots (`sonique scan /music` with MUSIC_PATH=/music/lib)
    // scans their files too: it takes their locks as well.
    fs::path d(out.front());
    for (const auto& r : ctx_.config.music_roots) {
        std::string root = resolved(r).string();
        if (root != out.front() && under_or_equal(root, d) &&
            std::find(out.begin(), out.end(), root) == out.end())
            out.push_back(root);
    }
    return out;
}

void ScanService::reap_stale_sessions(db::Connection& conn, int64_t except) {
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

std::unique_ptr<db::Connection> ScanService::scan_connection() const {
    db::ConnectOptions o = ctx_.pool.options().connect;
    o.statement_timeout_ms = 0;  // batches of a big scan may take long; the locks live here
    return std::make_unique<db::Connection>(o);
}

bool ScanService::try_lock_root(db::Connection& conn, const std::string& directory) const {
    // All or none: the ones taken are given back when one is held elsewhere.
    std::vector<std::string> taken;
    for (const auto& root : roots_locked_by(directory)) {
        db::Params key("sonique-scan:" + root);
        if (!conn.exec("SELECT pg_try_advisory_lock(hashtext($1))", key).boolean(0, 0)) {
            for (const auto& t : taken)
                conn.exec("SELECT pg_advisory_unlock(hashtext($1))",
                          db::Params("sonique-scan:" + t));
            return false;
        }
        taken.push_back(root);
    }
    return true;
}

bool ScanService::wait_for_root(db::Connection& conn, const std::string& directory) const {
    bool told = false;
    while (!try_lock_root(conn, directory)) {
        if (cancel_) return false;
        if (!told) log::info("scan of ", directory, ": waiting for the running scan of its root");
        told = true;
        std::this_thread::sleep_for(kLockPoll);
    }
    return true;
}

ScanService::Locked ScanService::open_session(std::unique_ptr<db::Connection> conn,
                                              const std::string& directory, bool cleanup_deleted) {
    Locked s;
    s.conn = std::move(conn);
    s.task_id = new_task_id();
    // Locked before the row is visible: a reaper must never see it running and unlocked. The
    // lock is the connection's, not the transaction's: it outlives the commit.
    db::Transaction tx(*s.conn);
    auto r = s.conn->exec(
        "INSERT INTO scan_sessions (directory, task_id, cleanup_deleted) VALUES ($1, $2, $3) "
        "RETURNING id",
        db::Params(directory, s.task_id, cleanup_deleted));
    s.session_id = r.int64(0, 0);
    s.conn->exec("SELECT pg_advisory_lock($1, $2)", session_key(s.session_id));
    tx.commit();
    return s;
}

std::string ScanService::covering_task(const std::string& directory) {
    // The running scan whose directory holds this one (its root's, or its own). None when the
    // root's running scan is of another subfolder; its row may still be on its way, as the lock
    // is taken before the row is written.
    auto conn = ctx_.pool.acquire();
    reap_stale_sessions(*conn, 0);  // never join the session of a process that is gone
    db::Params params(normal(directory).string(), root_of(directory));
    for (int attempt = 0; attempt < 20; ++attempt) {
        auto r = conn->exec(
            "SELECT (SELECT task_id FROM scan_sessions WHERE status = 'running' AND "
            "($1 = directory OR starts_with($1, rtrim(directory, '/') || '/')) "
            "ORDER BY id DESC LIMIT 1), EXISTS (SELECT 1 FROM scan_sessions WHERE "
            "status = 'running' AND ($2 = directory OR starts_with(directory, $2 || '/')))",
            params);
        if (!r.is_null(0, 0)) return r.str(0, 0);
        if (r.boolean(0, 1)) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
}

}  // namespace sonique::services
