#pragma once
// A small pool of Redis connections that tolerates outages: while Redis is down every call
// returns nullopt at once (after one failed attempt per backoff period), the outage is logged
// once, and connections are re-established by themselves when Redis returns. Any thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cache/reply.hpp"

namespace sonique::cache {

struct RedisOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string password;
    int db = 0;
    int pool_size = 4;
    std::chrono::milliseconds timeout{250};
    std::chrono::milliseconds retry_after{1000};
    bool enabled = true;
};

// Opens a context (AUTH and SELECT done); nullptr on failure. Used by the pool and subscriber.
ContextPtr connect_redis(const RedisOptions& options, std::chrono::milliseconds timeout);

class Redis;

// A connection borrowed from Redis's pool, as db::Lease is from db::Pool: given back on
// destruction, or closed (its place in the pool freed) when it is broken or was dropped. An empty
// lease (no connection to lend) holds nothing. Used by the thread that took it.
class RedisLease {
  public:
    RedisLease() = default;
    RedisLease(RedisLease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), ctx_(std::move(other.ctx_)) {}
    RedisLease& operator=(RedisLease&&) = delete;
    ~RedisLease();
    explicit operator bool() const noexcept { return ctx_ != nullptr; }
    redisContext* get() const noexcept { return ctx_.get(); }
    redisContext* operator->() const noexcept { return ctx_.get(); }
    // Closes the connection now instead of giving it back (its replies can no longer be matched
    // to commands, or it was never set up) and frees its place in the pool. Never throws.
    void drop() noexcept;

  private:
    friend class Redis;
    // Takes one of pool's places (already counted as in use), with or without a connection.
    RedisLease(Redis* pool, ContextPtr ctx) noexcept : pool_(pool), ctx_(std::move(ctx)) {}
    Redis* pool_ = nullptr;
    ContextPtr ctx_;
};

class Redis {
  public:
    explicit Redis(RedisOptions options);
    Redis(const Redis&) = delete;
    Redis& operator=(const Redis&) = delete;

    // Runs one command given as arguments. nullopt when Redis is unavailable. A command whose
    // reply does not come within the timeout may or may not have run: Redis is then taken for
    // unavailable (and the recovery commands run when it returns), so that a lost invalidation
    // can never leave a stale entry readable.
    std::optional<Reply> command(const std::vector<std::string>& args);
    // command() for a command whose loss is harmless (a read, or the write of an entry under a
    // versioned key): a reply that times out, as from a server busy with a thousand clients,
    // drops that connection and answers nullopt without taking Redis for unavailable (unless
    // eight replies in a row are late: a server that hangs).
    std::optional<Reply> command_best_effort(const std::vector<std::string>& args);
    // Runs commands in one round trip. nullopt when Redis is unavailable.
    std::optional<std::vector<Reply>> pipeline(const std::vector<std::vector<std::string>>& cmds);
    bool available() const noexcept { return !down_.load(); }
    // A command run on the first connection made after an outage, before any other command.
    void on_recovery(std::vector<std::string> command);
    const RedisOptions& options() const noexcept { return options_; }

  private:
    friend class RedisLease;
    // A lease on an idle or new connection; empty when none is free within the timeout or
    // Redis is down.
    RedisLease take();
    void give_back(ContextPtr ctx) noexcept;
    void release_slot() noexcept;
    void mark_down();
    std::optional<std::vector<Reply>> run(const std::vector<std::vector<std::string>>& cmds,
                                          bool best_effort = false);

    RedisOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<ContextPtr> idle_;
    int in_use_ = 0;
    std::atomic<bool> down_{false};
    std::atomic<int> late_replies_{0};  // best-effort replies that timed out in a row
    std::chrono::steady_clock::time_point retry_at_{};
    std::vector<std::vector<std::string>> recovery_;
};

}  // namespace sonique::cache
