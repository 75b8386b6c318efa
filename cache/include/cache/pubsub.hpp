#pragma once
// Events: published on Redis channels and delivered to in-process listeners.
//
// publish() delivers to local listeners directly (so events flow while Redis is down) and
// to Redis with this process's origin id; the subscriber thread relays messages from other
// processes to local listeners and skips its own. Any thread.
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cache/redis.hpp"

namespace sonique::cache {

class EventBus {
  public:
    using Listener = std::function<void(const std::string& channel, const std::string& message)>;

    EventBus(Redis& redis, std::vector<std::string> channels);
    ~EventBus();
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    // Starts the subscriber thread (no-op when Redis is disabled).
    void start();
    void stop();
    // message is a JSON object; the bus adds "origin". Never throws for Redis failures.
    void publish(const std::string& channel, const std::string& json_object);
    int subscribe(Listener listener);
    void unsubscribe(int token);
    const std::string& origin() const noexcept { return origin_; }
    // Whether every message published on the channels now reaches this process; session() changes
    // each time a subscription (re)starts, so that callers know messages may have been missed.
    bool subscribed() const noexcept { return subscribed_.load(); }
    uint64_t session() const noexcept { return session_.load(); }

  private:
    void run();
    void deliver(const std::string& channel, const std::string& message);

    Redis& redis_;
    std::vector<std::string> channels_;
    std::string origin_;
    std::mutex mutex_;
    std::map<int, Listener> listeners_;
    int next_token_ = 1;
    std::atomic<bool> stop_{false};
    std::atomic<bool> subscribed_{false};
    std::atomic<uint64_t> session_{0};
    std::thread thread_;
};

}  // namespace sonique::cache
