#pragma once
// Cache-aside over Redis with invalidation by namespace version.
//
// A value is stored under <prefix>c:<ns>:<generation>.<version>:<key>. A write bumps the
// namespace's version (invalidate()), so no reader can reach entries written before it. The
// generation is bumped whenever Redis comes back from an outage, because writes made while it
// was unreachable could not bump versions. While Redis is down, loaders run every time.
//
// With attach(), hot entries are also kept in process (near_cache.hpp): invalidate() then
// publishes the namespaces on channel() so that every process drops its copies, and concurrent
// misses of one key in this process share one load (impl/flights.hpp).
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cache/near_cache.hpp"
#include "cache/redis.hpp"

namespace sonique::cache {

class EventBus;
class Flights;

class Cache {
  public:
    // Any thread. ttl_s: lifetime of entries.
    Cache(Redis& redis, std::string prefix, int ttl_s);
    ~Cache();

    // The cached value of (ns, key), or loader()'s result, which is then stored. Exceptions
    // from loader propagate and nothing is stored.
    std::string get_or_load(std::string_view ns, std::string_view key,
                            const std::function<std::string()>& loader);
    // As get_or_load, for a value that depends on several namespaces (a Subsonic answer on the
    // catalog and on one user's stars and ratings): invalidating any of them makes it
    // unreachable. Names must not contain '+'. With one name, the same entry as above.
    std::string get_or_load(std::initializer_list<std::string_view> namespaces,
                            std::string_view key, const std::function<std::string()>& loader);
    // As get_or_load, for a value kept in this process only and never written to Redis (what
    // must not leave the process, such as users' encrypted passwords): loaded on a miss, dropped
    // by invalidate() of ns here or in any process, and after the near cache's lifetime. Without
    // a near cache whose bus is subscribed (SONIQUE_NEAR_CACHE_MB=0, Redis down), loader() runs
    // every time. Exceptions from loader propagate and nothing is kept.
    std::string get_or_load_local(std::string_view ns, std::string_view key,
                                  const std::function<std::string()>& loader);
    // Whether get_or_load_local keeps values now (a near cache whose bus is subscribed).
    bool keeps_local() const noexcept;
    // Makes every entry of these namespaces unreachable, in every process. Call after the write
    // committed and before answering.
    void invalidate(std::initializer_list<std::string_view> namespaces);
    void invalidate_all();
    Redis& redis() noexcept { return redis_; }
    const std::string& prefix() const noexcept { return prefix_; }

    // The pub/sub channel of invalidations; the EventBus given to attach() must subscribe to it.
    std::string channel() const { return prefix_ + "cache-invalidation"; }
    // Keeps up to max_bytes of entries in process while bus is subscribed. Call once, before use;
    // bus must outlive every get_or_load() and invalidate() call (not the cache itself).
    void attach(EventBus& bus, size_t max_bytes);

  private:
    std::optional<Reply> lookup(const std::string& ns_prefix,
                                const std::vector<std::string_view>& namespaces,
                                std::string_view key);
    std::string load(const std::vector<std::string_view>& namespaces, std::string_view key,
                     const std::function<std::string()>& loader);
    // Redis, else loader(); kept in process when near (epoch and session as read before). `ns`
    // is the namespaces joined with '+' (the near cache's name of the entry's namespaces).
    std::string fetch(const std::vector<std::string_view>& namespaces, std::string_view ns,
                      std::string_view key, const std::function<std::string()>& loader, bool near,
                      uint64_t epoch, uint64_t session);
    void publish(const std::vector<std::string_view>& namespaces,
                 std::vector<std::vector<std::string>> commands);

    Redis& redis_;
    std::string prefix_;
    std::string ttl_;
    std::mutex sha_mutex_;
    std::string script_sha_;  // of the lookup script once loaded: EVALSHA instead of EVAL
    EventBus* bus_ = nullptr;
    std::shared_ptr<NearCache> near_;
    std::unique_ptr<Flights> flights_;  // with the near cache: concurrent misses load once
};

}  // namespace sonique::cache
