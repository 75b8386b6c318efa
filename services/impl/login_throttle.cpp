#include "login_throttle.hpp"

namespace sonique::services {

int LoginThrottle::blocked_for(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return 0;
    if (now >= it->second.window_end) {
        entries_.erase(it);
        return 0;
    }
    if (it->second.failures < limit_) return 0;
    auto left = std::chrono::ceil<std::chrono::seconds>(it->second.window_end - now);
    return static_cast<int>(left.count());
}

void LoginThrottle::record_failure(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end() && now >= it->second.window_end) {
        entries_.erase(it);
        it = entries_.end();
    }
    if (it == entries_.end()) {
        if (entries_.size() >= max_keys_) prune(now);
        if (entries_.size() >= max_keys_) return;
        it = entries_.emplace(key, Entry{0, now + window_}).first;
    }
    // The window restarts when the key becomes blocked: it then waits a full window.
    if (++it->second.failures == limit_) it->second.window_end = now + window_;
}

void LoginThrottle::forget(const std::string& key) {
    std::lock_guard lock(mutex_);
    entries_.erase(key);
}

void LoginThrottle::prune(Clock::time_point now) {
    std::erase_if(entries_, [now](const auto& e) { return now >= e.second.window_end; });
}

}  // namespace sonique::services
