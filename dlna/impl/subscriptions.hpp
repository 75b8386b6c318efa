#pragma once
// The GENA subscriptions: who gets events of which service, until when, and the SEQ of the next
// event. Bounded; expired entries go at each expire(). Thread-safe (one mutex); any thread.
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gena_messages.hpp"

namespace sonique::dlna::gena {

using Clock = std::chrono::steady_clock;

struct Subscription {
    std::string sid;  // "uuid:..."
    int service = 0;  // an EventedService value
    std::vector<Url> callbacks;
    Clock::time_point expires;
    std::uint32_t next_seq = 0;  // 0 for the initial event, then 1, 2, ... (wraps to 1)
    int failures = 0;            // NOTIFYs in a row that reached no callback
};

class SubscriptionTable {
  public:
    explicit SubscriptionTable(size_t max_subscriptions) : max_(max_subscriptions) {}

    // A new subscription with a fresh SID; nullopt when the table is full (expired ones are
    // dropped first).
    std::optional<Subscription> add(int service, std::vector<Url> callbacks, int timeout_s,
                                    Clock::time_point now);
    // Extends sid (of service); false when unknown or expired.
    bool renew(const std::string& sid, int service, int timeout_s, Clock::time_point now);
    // Removes sid (of service); false when unknown.
    bool remove(const std::string& sid, int service);
    // Drops expired subscriptions; returns how many.
    size_t expire(Clock::time_point now);
    // The live subscriptions of service.
    std::vector<Subscription> of(int service, Clock::time_point now) const;
    // Takes the SEQ for sid's next event and advances it; nullopt when sid is gone.
    std::optional<std::uint32_t> take_seq(const std::string& sid);
    // Records a NOTIFY's outcome: a success clears the failures; after max_failures in a row
    // the subscription is dropped (true).
    bool record(const std::string& sid, bool delivered, int max_failures);
    size_t size() const;

  private:
    size_t max_;
    mutable std::mutex mutex_;
    std::map<std::string, Subscription> subs_;
};

// A fresh random "uuid:..." subscription id.
std::string new_sid();

}  // namespace sonique::dlna::gena
