#include "db/pool.hpp"

#include "db/errors.hpp"

namespace sonique::db {

Lease::~Lease() {
    if (conn_) pool_->give_back(std::move(conn_));
}

Pool::Pool(PoolOptions options) : options_(std::move(options)) {}

Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
    while (idle_.empty() && open_ >= options_.size) {
        ++waiting_;
        bool woke = freed_.wait_until(lock, deadline,
                                      [&] { return !idle_.empty() || open_ < options_.size; });
        --waiting_;
        if (!woke) throw DbError(ErrorCode::kUnavailable, kDatabaseUnavailable, "53300");
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
        freed_.notify_one();
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
    freed_.notify_one();
}

PoolStats Pool::stats() const {
    std::lock_guard lock(mutex_);
    return {options_.size, open_, static_cast<int>(idle_.size()), waiting_};
}

}  // namespace sonique::db
