#include "subscriptions.hpp"

#include <random>

namespace sonique::dlna::gena {

std::string new_sid() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* hex = "0123456789abcdef";
    std::string out = "uuid:";
    std::uint64_t a = rng(), b = rng();
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20) out += '-';
        std::uint64_t word = i < 16 ? a : b;
        out += hex[(word >> (4 * (i % 16))) & 0xf];
    }
    return out;
}

std::optional<Subscription> SubscriptionTable::add(int service, std::vector<Url> callbacks,
                                                   int timeout_s, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    std::erase_if(subs_, [now](const auto& kv) { return kv.second.expires <= now; });
    if (subs_.size() >= max_) return std::nullopt;
    Subscription s;
    s.sid = new_sid();
    s.service = service;
    s.callbacks = std::move(callbacks);
    s.expires = now + std::chrono::seconds(timeout_s);
    subs_[s.sid] = s;
    return s;
}

bool SubscriptionTable::renew(const std::string& sid, int service, int timeout_s,
                              Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(sid);
    if (it == subs_.end() || it->second.service != service) return false;
    if (it->second.expires <= now) {
        subs_.erase(it);
        return false;
    }
    it->second.expires = now + std::chrono::seconds(timeout_s);
    return true;
}

bool SubscriptionTable::remove(const std::string& sid, int service) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(sid);
    if (it == subs_.end() || it->second.service != service) return false;
    subs_.erase(it);
    return true;
}

size_t SubscriptionTable::expire(Clock::time_point now) {
    std::lock_guard lock(mutex_);
    return std::erase_if(subs_, [now](const auto& kv) { return kv.second.expires <= now; });
}

std::vector<Subscription> SubscriptionTable::of(int service, Clock::time_point now) const {
    std::lock_guard lock(mutex_);
    std::vector<Subscription> out;
    for (const auto& [sid, s] : subs_)
        if (s.service == service && s.expires > now) out.push_back(s);
    return out;
}

std::optional<std::uint32_t> SubscriptionTable::take_seq(const std::string& sid) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(sid);
    if (it == subs_.end()) return std::nullopt;
    std::uint32_t seq = it->second.next_seq;
    // UDA 4.2.1: after 4294967295 the count wraps to 1 (0 is only the initial event's).
    it->second.next_seq = seq == UINT32_MAX ? 1 : seq + 1;
    return seq;
}

bool SubscriptionTable::record(const std::string& sid, bool delivered, int max_failures) {
    std::lock_guard lock(mutex_);
    auto it = subs_.find(sid);
    if (it == subs_.end()) return false;
    if (delivered) {
        it->second.failures = 0;
        return false;
    }
    if (++it->second.failures < max_failures) return false;
    subs_.erase(it);
    return true;
}

size_t SubscriptionTable::size() const {
    std::lock_guard lock(mutex_);
    return subs_.size();
}

}  // namespace sonique::dlna::gena
