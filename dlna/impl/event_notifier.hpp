#pragma once
// The eventing thread: sends each new subscription its initial event, polls SystemUpdateID
// while ContentDirectory has subscribers and sends a change event when it moved (at most one per
// poll interval: UPnP's moderation of 2 s), drops expired subscriptions. Every NOTIFY has a
// deadline, so a dead subscriber costs at most that time and blocks no other thread; after three
// undelivered NOTIFYs in a row its subscription is dropped.
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "dlna/event_server.hpp"
#include "subscriptions.hpp"

namespace sonique::dlna::gena {

class EventNotifier {
  public:
    // Starts the thread. table must outlive this object.
    EventNotifier(SubscriptionTable& table, EventSources sources, const EventOptions& options);
    // Stops the thread (an in-flight NOTIFY ends within its timeout). Never throws.
    ~EventNotifier();
    EventNotifier(const EventNotifier&) = delete;
    EventNotifier& operator=(const EventNotifier&) = delete;

    // Queues sub's initial event (SEQ 0). Never blocks on the network; any thread.
    void initial(const Subscription& sub);

  private:
    using Values = std::vector<std::pair<std::string, std::string>>;
    void run();
    void poll_changes();
    void send(const Subscription& sub, const Values& values);
    std::optional<std::uint32_t> read_update_id();
    // ContainerUpdateIDs' value for the changes after `since` ("0,<now>", the root, when the
    // source is unset or fails).
    std::string changed_containers(std::uint32_t since, std::uint32_t now);

    SubscriptionTable& table_;
    EventSources sources_;
    int poll_ms_;
    int notify_timeout_ms_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Subscription> queue_;
    bool stop_ = false;
    std::optional<std::uint32_t> last_id_;  // the eventing thread's only
    // SystemUpdateID before the last change event: the next one names containers changed
    // after it (the eventing thread's only).
    std::optional<std::uint32_t> overlap_since_;
    std::thread thread_;
};

}  // namespace sonique::dlna::gena
