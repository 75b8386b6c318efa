#include "db/pool.hpp"

#include <algorithm>

#include "db/errors.hpp"

namespace sonique::db {

// A caller in line. The pool hands it what it waits for before waking it: a connection, or
// (conn empty, served set) a slot to open one in, reserved in open_ on its behalf.
struct Pool::Waiter {
    std::condition_variable cv;
    std::unique_ptr<Connection> conn;
    bool served = false;
};

Lease::~Lease() {
    if (conn_) pool_->give_back(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

// Waiters are served in arrival order, and a caller that finds others waiting queues behind
// them: with many callers against few connections (64 HTTP connections, 8 database ones), a
// condition variable alone lets newcomers and lucky waiters overtake, and a few waiters wait
// many turns (the GraphQL benchmark's p99 was ten times its median). A returned connection goes
// straight to the head of the line and wakes that waiter only: one shared condition variable
// with notify_all woke every waiter on each return to find out which was first, and at 64
// callers those wake-ups (two context switches and a mutex hand-off each, ~56 per request) were
// most of the server's CPU time in the uncached GraphQL benchmark.
Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    if (queue_.empty() && !idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
    }
    if (!queue_.empty() || open_ >= options_.size) {
        Waiter me;
        queue_.push_back(&me);
        const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
        if (!me.cv.wait_until(lock, deadline, [&] { return me.served; })) {
            queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
            throw DbError(ErrorCode::kUnavailable, kDatabaseUnavailable, "53300");
        }
        if (me.conn) return Lease(this, std::move(me.conn));
        // Served with a slot (open_ already counts it): connect below.
    } else {
        ++open_;  // reserve the slot, connect without holding the lock
    }
    lock.unlock();
    try {
        return Lease(this, std::make_unique<Connection>(options_.connect));
    } catch (...) {
        lock.lock();
        std::unique_ptr<Connection> none;
        if (!serve_head(none)) --open_;  // the slot passes to the next in line, if any
        throw;
    }
}

// Gives conn (or, when empty, the slot of a connection that is gone) to the first waiter and
// wakes it. False when nobody waits. The waiter's own mutex-protected flag, not the wake-up,
// says it was served: a waiter whose deadline passes at the same moment still takes it.
bool Pool::serve_head(std::unique_ptr<Connection>& conn) noexcept {
    if (queue_.empty()) return false;
    Waiter* head = queue_.front();
    queue_.pop_front();
    head->conn = std::move(conn);
    head->served = true;
    // Under the lock: once it is unlocked the waiter may return and destroy its cv.
    head->cv.notify_one();
    return true;
}

void Pool::give_back(std::unique_ptr<Connection> conn) noexcept {
    const bool keep = !conn->broken() && !conn->in_transaction();
    if (!keep) conn.reset();  // closed outside the lock
    std::lock_guard lock(mutex_);
    if (serve_head(conn)) return;
    if (keep) {
        idle_.push_back(std::move(conn));
    } else {
        --open_;  // a broken connection is dropped; the next acquire opens a new one
    }
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mutex_);
    return {options_.size, open_, static_cast<int>(idle_.size()), static_cast<int>(queue_.size())};
}

}  // namespace sonique::db
