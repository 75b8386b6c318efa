#pragma once
// Failed logins per key ("user:<name>", "addr:<ip>"), kept in memory: after `limit` failures
// within a window, the key is refused until the window ends, without checking the secret.
// Memory is bounded: past max_keys tracked keys, expired ones are dropped, and new keys are not
// tracked until some expire (keys already blocked stay blocked). Thread-safe.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sonique::services {

class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;

    LoginThrottle(int limit, std::chrono::seconds window, size_t max_keys = 10000)
        : limit_(limit), window_(window), max_keys_(max_keys) {}

    // Seconds until `key` may try again; 0 when it may now.
    int blocked_for(const std::string& key, Clock::time_point now = Clock::now());
    void record_failure(const std::string& key, Clock::time_point now = Clock::now());
    void forget(const std::string& key);

  private:
    struct Entry {
        int failures = 0;
        Clock::time_point window_end;
    };
    void prune(Clock::time_point now);

    int limit_;
    std::chrono::seconds window_;
    size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
};

}  // namespace sonique::services
