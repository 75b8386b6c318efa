#include "db/pool.hpp"

#include "db/errors.hpp"

namespace sonique::db {

Lease::~Lease() {
    if (conn_) pool_->give_back(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    if (waiters_.empty()) {
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            return Lease(this, std::move(conn));
        }
        if (open_ < options_.size) {
            ++open_;  // reserve the slot, connect without holding the lock
            lock.unlock();
            return open_reserved();
        }
    }
    Waiter w;
    waiters_.push_back(&w);
    ++waiting_;
    const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    const bool served = w.cv.wait_until(lock, deadline, [&] { return w.conn || w.may_open; });
    --waiting_;
    if (!served) {
        // Still queued: whoever serves waiters does so under the lock and dequeues them.
        std::erase(waiters_, &w);
        throw DbError(ErrorCode::kUnavailable, kDatabaseUnavailable, "53300");
    }
    if (w.conn) return Lease(this, std::move(w.conn));
    lock.unlock();
    return open_reserved();
}

Lease Pool::open_reserved() {
    try {
        return Lease(this, std::make_unique<Connection>(options_.connect));
    } catch (...) {
        std::lock_guard lock(mutex_);
        pass_slot();
        throw;
    }
}

void Pool::pass_slot() noexcept {
    if (waiters_.empty()) {
        --open_;
        return;
    }
    Waiter* w = waiters_.front();
    waiters_.pop_front();
    w->may_open = true;
    w->cv.notify_one();
}

void Pool::give_back(std::unique_ptr<Connection> conn) noexcept {
    bool keep = !conn->broken() && !conn->in_transaction();
    std::lock_guard lock(mutex_);
    if (!keep) return pass_slot();  // dropped; its slot opens a new connection
    if (waiters_.empty()) {
        idle_.push_back(std::move(conn));
        return;
    }
    Waiter* w = waiters_.front();  // handed over directly: nobody arriving later can take it
    waiters_.pop_front();
    w->conn = std::move(conn);
    w->cv.notify_one();
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mutex_);
    return {options_.size, open_, static_cast<int>(idle_.size()), waiting_};
}

}  // namespace sonique::db
