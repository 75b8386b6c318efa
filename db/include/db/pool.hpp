#pragma once
// A bounded pool of connections handing out leases. Any thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
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
    // connection frees up within the acquire timeout or the server cannot be reached.
    Lease acquire();
    PoolStats stats() const;
    const PoolOptions& options() const noexcept { return options_; }

  private:
    friend class Lease;
    struct Waiter;  // one caller in line, with its own condition variable (pool.cpp)
    void give_back(std::unique_ptr<Connection> conn) noexcept;
    bool serve_head(std::unique_ptr<Connection>& conn) noexcept;  // with mutex_ held

    PoolOptions options_;
    mutable std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::deque<Waiter*> queue_;  // the waiters, in arrival order
    int open_ = 0;
};

}  // namespace sonique::db
