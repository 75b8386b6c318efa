#pragma once
// In-process copies of cache entries (a "near cache") in front of Redis, so that the hottest
// reads (the frontend's artist list, counts, covers) cost no Redis round trip.
//
// Entries are trusted only while this process hears every invalidation: its own writes
// invalidate synchronously (Cache::invalidate), other processes' arrive on a Redis pub/sub
// channel. A subscription that drops and returns starts a new session, and entries of older
// sessions are ignored, since invalidations may have been missed in between. A load that raced
// with an invalidation is not kept: put() compares the epoch read before the load. Entries also
// expire after a few seconds, and the total size is bounded. Any thread.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sonique::cache {

class NearCache {
  public:
    NearCache(size_t max_bytes, std::chrono::milliseconds ttl);

    // The value of (ns, key) stored during this subscription session, if fresh. Readers share
    // the lock and the value (no copy under the lock).
    std::shared_ptr<const std::string> get(std::string_view ns, std::string_view key,
                                           uint64_t session);
    // The key of (ns, key) in this cache, also used to coalesce loads (cache.cpp).
    static std::string entry_key(std::string_view ns, std::string_view key);
    // Read before loading a value, then passed to put().
    uint64_t epoch() const;
    // Keeps value unless an invalidation happened since epoch_before was read.
    void put(std::string_view ns, std::string_view key, const std::string& value,
             uint64_t epoch_before, uint64_t session);
    // Drops the entries of ns (empty: every entry) and rejects loads in flight. An entry's ns
    // may name several namespaces joined by '+' (Cache::get_or_load): it goes with any of them.
    void invalidate(std::string_view ns);
    size_t bytes() const;

  private:
    struct Entry {
        std::string ns;
        std::shared_ptr<const std::string> value;
        uint64_t session;
        std::chrono::steady_clock::time_point expires;
    };
    void erase(std::unordered_map<std::string, Entry>::iterator it);  // mutex_ held exclusively

    const size_t max_bytes_;
    const std::chrono::milliseconds ttl_;
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;  // ns + '\n' + key
    size_t bytes_ = 0;
    uint64_t epoch_ = 0;
};

}  // namespace sonique::cache
