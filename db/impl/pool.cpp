#include "db/pool.hpp"

#include <algorithm>

#include "db/errors.hpp"

namespace sonique::db {

Lease::~Lease() {
    if (conn_) pool_->give_back(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

// Waiters are served in arrival order, and a caller that finds others waiting queues behind
// them: with many callers against few connections (64 HTTP connections, 8 database ones), a
// condition variable alone lets newcomers and lucky waiters overtake, and a few waiters wait
// many turns (the GraphQL benchmark's p99 was ten times its median).
Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    auto available = [&] { return !idle_.empty() || open_ < options_.size; };
    if (!queue_.empty() || !available()) {
        const uint64_t ticket = next_ticket_++;
        queue_.push_back(ticket);
        ++waiting_;
        bool served = freed_.wait_until(lock, deadline,
                                        [&] { return queue_.front() == ticket && available(); });
        --waiting_;
        if (!served) {
            queue_.erase(std::find(queue_.begin(), queue_.end(), ticket));
            freed_.notify_all();  // the next in line may be at the front now
            throw DbError(ErrorCode::kUnavailable, kDatabaseUnavailable, "53300");
        }
        queue_.pop_front();
        if (!queue_.empty()) freed_.notify_all();  // two connections may have come back at once
    }
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
    }
    ++open_;  // reserve the slot, connect without holding the lock
    lock.unlock();
    try {
        return Lease(this, std::make_unique<Connection>(options_.connect));
    } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_all();
        throw;
    }
}

void Pool::give_back(std::unique_ptr<Connection> conn) noexcept {
    bool keep = !conn->broken() && !conn->in_transaction();
    std::lock_guard lock(mutex_);
    if (keep) {
        idle_.push_back(std::move(conn));
    } else {
        --open_;  // a broken connection is dropped; the next acquire opens a new one
    }
    // Every waiter re-checks whether it is at the front (one woken at random might not be).
    freed_.notify_all();
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mutex_);
    return {options_.size, open_, static_cast<int>(idle_.size()), waiting_};
}

}  // namespace sonique::db
