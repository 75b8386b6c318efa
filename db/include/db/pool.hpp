#pragma once
// A bounded pool of connections handing out leases. Any thread.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "db/connection.hpp"

namespace sonique::db {

struct PoolOptions {
    ConnectOptions connect;
    int size = 8;
    std::chrono::milliseconds acquire_timeout{2000};
};

class Pool;

// A connection borrowed from the pool; given back (or dropped when broken) on destruction.
class Lease {
  public:
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection* operator->() const noexcept { return conn_.get(); }
    Connection& operator*() const noexcept { return *conn_; }

  private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
};

struct PoolStats {
    int size, open, idle, waiting;
};

class Pool {
  public:
    explicit Pool(PoolOptions options);
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Returns a lease on an idle or new connection. Throws DbError(kUnavailable) when no
    // connection frees up within the acquire timeout or the server cannot be reached. Callers
    // that wait are served in arrival order: a connection given back goes to the oldest waiter,
    // never to a caller that arrived later (with 64 callers on 8 connections, barging left some
    // requests waiting for hundreds of milliseconds while others went through).
    Lease acquire();
    PoolStats stats() const;
    const PoolOptions& options() const noexcept { return options_; }

  private:
    friend class Lease;
    // A caller waiting in acquire(): given a connection, or the right to open one (a slot freed
    // by a broken connection or a failed connect).
    struct Waiter {
        std::condition_variable cv;
        std::unique_ptr<Connection> conn;
        bool may_open = false;
    };
    void give_back(std::unique_ptr<Connection> conn) noexcept;
    // Passes a reserved slot to the oldest waiter, or frees it. mutex_ held.
    void pass_slot() noexcept;
    Lease open_reserved();  // connects in a slot already counted in open_; mutex_ not held

    PoolOptions options_;
    mutable std::mutex mutex_;
    std::deque<Waiter*> waiters_;  // oldest first
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_ = 0;
    int waiting_ = 0;
};

}  // namespace sonique::db
