#pragma once
// Cache-aside over Redis with invalidation by namespace version.
//
// A value is stored under <prefix>c:<ns>:<generation>.<version>:<key>. A write bumps the
// namespace's version (invalidate()), so no reader can reach entries written before it. The
// generation is bumped whenever Redis comes back from an outage, because writes made while it
// was unreachable could not bump versions. While Redis is down, loaders run every time.
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "cache/redis.hpp"

namespace sonique::cache {

class Cache {
  public:
    // Any thread. ttl_s: lifetime of entries.
    Cache(Redis& redis, std::string prefix, int ttl_s);

    // The cached value of (ns, key), or loader()'s result, which is then stored. Exceptions
    // from loader propagate and nothing is stored.
    std::string get_or_load(std::string_view ns, std::string_view key,
                            const std::function<std::string()>& loader);
    // Makes every entry of these namespaces unreachable. Call after the write committed and
    // before answering.
    void invalidate(std::initializer_list<std::string_view> namespaces);
    void invalidate_all();
    Redis& redis() noexcept { return redis_; }
    const std::string& prefix() const noexcept { return prefix_; }

  private:
    Redis& redis_;
    std::string prefix_;
    std::string ttl_;
};

}  // namespace sonique::cache
