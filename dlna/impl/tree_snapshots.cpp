#include "tree_snapshots.hpp"

#include <exception>
#include <string>
#include <utility>

#include "core/log.hpp"
#include "core/memory.hpp"
#include "core/thread_priority.hpp"
#include "db/pool.hpp"

namespace sonique::dlna {
namespace {

// The generation now, and how many of the transactions in flight when the snapshot was read
// ($1) have committed since (the snapshot may lack their changes). One rolled back changed
// nothing anyone sees: the loads of this process and of others (the typeahead index's, another
// server's) end that way, and must not make each other reload.
constexpr const char* kCheckSql =
    "SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM "
    "sonique_library_update_id), (SELECT count(*) FROM unnest($1::xid8[]) x WHERE "
    "pg_xact_status(x) IS DISTINCT FROM 'in progress' AND pg_xact_status(x) IS DISTINCT FROM "
    "'aborted')";
// The same when none was in flight (the usual case): the counter alone.
constexpr const char* kCheckIdleSql =
    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END, 0 FROM sonique_library_update_id";

}  // namespace

TreeSnapshots::TreeSnapshots(db::Pool& requests, db::Pool& loads,
                             std::vector<std::string> music_roots,
                             std::chrono::milliseconds min_gap)
    : requests_(requests), loads_(loads), roots_(std::move(music_roots)), min_gap_(min_gap) {
    thread_ = std::thread([this] { run(); });
}

TreeSnapshots::~TreeSnapshots() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void TreeSnapshots::ask() {
    {
        std::lock_guard lock(mutex_);
        if (wanted_) return;
        wanted_ = true;
    }
    wake_.notify_all();
}

std::shared_ptr<const TreeSnapshot> TreeSnapshots::fresh() {
    std::shared_ptr<const TreeSnapshot> s;
    {
        std::lock_guard lock(mutex_);
        s = snapshot_;
    }
    if (!s) {
        ask();
        return nullptr;
    }
    auto conn = requests_.acquire();
    auto r = s->pending_xids() == "{}" ? conn->exec(kCheckIdleSql)
                                       : conn->exec(kCheckSql, db::Params(s->pending_xids()));
    if (r.int64(0, 0) == s->generation() && r.int64(0, 1) == 0) return s;
    ask();
    return nullptr;
}

bool TreeSnapshots::wait_fresh(std::chrono::milliseconds timeout) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!fresh()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

void TreeSnapshots::run() {
    // A load reads every track for hundreds of milliseconds: requests (answered from SQL
    // meanwhile) go first.
    thread_priority::lower();
    std::unique_lock lock(mutex_);
    auto last_end = std::chrono::steady_clock::now() - min_gap_;
    while (!stop_) {
        wake_.wait(lock, [this] { return stop_ || wanted_; });
        if (stop_) break;
        if (wake_.wait_until(lock, last_end + min_gap_, [this] { return stop_; })) break;
        wanted_ = false;
        lock.unlock();
        std::shared_ptr<const TreeSnapshot> loaded;
        try {
            auto t0 = std::chrono::steady_clock::now();
            auto conn = loads_.acquire();
            loaded = TreeSnapshot::load(*conn, roots_);
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - t0)
                          .count();
            log::info("dlna: tree snapshot of ", loaded->tracks(), " tracks at generation ",
                      loaded->generation(), ", ", loaded->bytes(), " bytes, loaded in ", ms, " ms");
        } catch (const std::exception& e) {
            // The database away or a statement refused: the SQL path answers (and fails the
            // same way), and the next Browse asks again.
            log::warn("dlna: tree snapshot: ", e.what());
        }
        lock.lock();
        std::shared_ptr<const TreeSnapshot> old;
        if (loaded) old = std::exchange(snapshot_, std::move(loaded));
        last_end = std::chrono::steady_clock::now();
        lock.unlock();
        // The old snapshot goes now (a request still holding it frees it when it ends), and the
        // load's scratch pages go back to the OS rather than after the allocator's decay.
        old.reset();
        memory::release();
        lock.lock();
    }
}

}  // namespace sonique::dlna
