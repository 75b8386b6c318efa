#include "cache/redis.hpp"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "core/log.hpp"

namespace sonique::cache {
namespace {

timeval to_timeval(std::chrono::milliseconds ms) {
    return {static_cast<time_t>(ms.count() / 1000),
            static_cast<suseconds_t>((ms.count() % 1000) * 1000)};
}

bool ok_reply(redisContext* c, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (auto& a : args)
        argv.push_back(a.data()), lens.push_back(a.size());
    Reply r(static_cast<redisReply*>(
        redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
    return r && !r.is_error();
}

// Reads whose replies time out in a row before Redis is taken for unavailable.
constexpr int kLateRepliesForOutage = 8;

}  // namespace

ContextPtr connect_redis(const RedisOptions& o, std::chrono::milliseconds timeout) {
    timeval tv = to_timeval(timeout);
    ContextPtr c(redisConnectWithTimeout(o.host.c_str(), o.port, tv));
    if (!c || c->err) return nullptr;
    redisSetTimeout(c.get(), tv);
    if (!o.password.empty() && !ok_reply(c.get(), {"AUTH", o.password})) return nullptr;
    if (o.db != 0 && !ok_reply(c.get(), {"SELECT", std::to_string(o.db)})) return nullptr;
    return c;
}

Redis::Redis(RedisOptions options) : options_(std::move(options)) {
    if (!options_.enabled) down_ = true;
    // Never more idle connections than places: give_back (run by a lease's destructor) then
    // never allocates.
    idle_.reserve(static_cast<size_t>(std::max(options_.pool_size, 0)));
}

void Redis::on_recovery(std::vector<std::string> command) {
    std::lock_guard lock(mutex_);
    recovery_.push_back(std::move(command));
}

RedisLease::~RedisLease() {
    if (!pool_) return;
    if (ctx_ && ctx_->err == 0)
        pool_->give_back(std::move(ctx_));
    else
        drop();
}

void RedisLease::drop() noexcept {
    ctx_.reset();
    if (Redis* pool = std::exchange(pool_, nullptr)) pool->release_slot();
}

RedisLease Redis::take() {
    {
        std::unique_lock lock(mutex_);
        // Bounded: wait briefly for a connection rather than opening one per thread.
        available_.wait_for(lock, options_.timeout,
                            [&] { return !idle_.empty() || in_use_ < options_.pool_size; });
        if (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            ++in_use_;
            return RedisLease(this, std::move(c));
        }
        if (in_use_ >= options_.pool_size) return {};  // busy: treat as a miss
        if (down_ && std::chrono::steady_clock::now() < retry_at_) return {};
        if (down_) retry_at_ = std::chrono::steady_clock::now() + options_.retry_after;
        ++in_use_;
    }
    RedisLease lease(this, connect_redis(options_, options_.timeout));
    if (!lease) {
        lease.drop();
        mark_down();
        return {};
    }
    if (down_.exchange(false)) {
        std::vector<std::vector<std::string>> commands;
        {
            std::lock_guard lock(mutex_);
            commands = recovery_;
        }
        // Run on this connection: writes made during the outage must be accounted for
        // before anything is read from the cache again.
        for (const auto& cmd : commands) {
            if (!ok_reply(lease.get(), cmd)) {
                lease.drop();
                mark_down();
                return {};
            }
        }
        log::info("Redis at ", options_.host, ":", options_.port, " is back; caching resumed");
    }
    return lease;
}

void Redis::release_slot() noexcept {
    std::lock_guard lock(mutex_);
    --in_use_;
    available_.notify_one();
}

void Redis::give_back(ContextPtr ctx) noexcept {
    std::lock_guard lock(mutex_);
    --in_use_;
    idle_.push_back(std::move(ctx));
    available_.notify_one();
}

void Redis::mark_down() {
    std::lock_guard lock(mutex_);
    idle_.clear();
    retry_at_ = std::chrono::steady_clock::now() + options_.retry_after;
    if (!down_.exchange(true))
        log::warn("Redis at ", options_.host, ":", options_.port,
                  " is unavailable; answering from PostgreSQL until it returns");
}

std::optional<std::vector<Reply>> Redis::run(const std::vector<std::vector<std::string>>& cmds,
                                             bool best_effort) {
    if (!options_.enabled) return std::nullopt;
    RedisLease c = take();
    if (!c) return std::nullopt;
    for (const auto& args : cmds) {
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (auto& a : args)
            argv.push_back(a.data()), lens.push_back(a.size());
        redisAppendCommandArgv(c.get(), static_cast<int>(argv.size()), argv.data(), lens.data());
    }
    std::vector<Reply> replies;
    for (size_t i = 0; i < cmds.size(); ++i) {
        void* raw = nullptr;
        if (redisGetReply(c.get(), &raw) != REDIS_OK) {
            // The receive timeout (SO_RCVTIMEO) ends a blocking read with EAGAIN.
            bool timed_out = c->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
            c.drop();  // c, whose late reply would answer the next command, is closed
            // A few late replies are a busy server; many in a row, one that hangs.
            if (!(best_effort && timed_out) || ++late_replies_ >= kLateRepliesForOutage) {
                late_replies_ = 0;
                mark_down();
            }
            return std::nullopt;
        }
        replies.emplace_back(static_cast<redisReply*>(raw));
    }
    late_replies_ = 0;
    return replies;  // c goes back to the pool
}

std::optional<Reply> Redis::command(const std::vector<std::string>& args) {
    auto r = run({args});
    if (!r) return std::nullopt;
    return std::move(r->front());
}

std::optional<Reply> Redis::command_best_effort(const std::vector<std::string>& args) {
    auto r = run({args}, true);
    if (!r) return std::nullopt;
    return std::move(r->front());
}

std::optional<std::vector<Reply>> Redis::pipeline(
    const std::vector<std::vector<std::string>>& cmds) {
    return run(cmds);
}

}  // namespace sonique::cache
