#include "event_notifier.hpp"

#include "core/log.hpp"
#include "tcp.hpp"

namespace sonique::dlna::gena {
namespace {

constexpr int kMaxFailures = 3;
constexpr int kContentDirectory = static_cast<int>(EventedService::kContentDirectory);

}  // namespace

EventNotifier::EventNotifier(SubscriptionTable& table, EventSources sources,
                             const EventOptions& options)
    : table_(table),
      sources_(std::move(sources)),
      poll_ms_(options.poll_ms),
      notify_timeout_ms_(options.notify_timeout_ms) {
    thread_ = std::thread([this] { run(); });
}

EventNotifier::~EventNotifier() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void EventNotifier::initial(const Subscription& sub) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(sub);
    }
    cv_.notify_all();
}

std::optional<std::uint32_t> EventNotifier::read_update_id() {
    if (!sources_.system_update_id) return std::nullopt;
    try {
        return sources_.system_update_id();
    } catch (const std::exception& e) {
        log::warn("dlna: reading SystemUpdateID: ", e.what());
        return std::nullopt;
    }
}

void EventNotifier::send(const Subscription& sub, const Values& values) {
    auto seq = table_.take_seq(sub.sid);
    if (!seq) return;  // unsubscribed or expired meanwhile
    std::string body = propertyset(values);
    bool delivered = false;
    for (const auto& url : sub.callbacks) {
        auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(notify_timeout_ms_);
        UniqueFd fd = tcp::connect_to(url.host, url.port, deadline);
        std::string head;
        if (!fd.valid() ||
            !tcp::send_all(fd.get(), notify_request(url, sub.sid, *seq, body), deadline) ||
            !tcp::read_head(fd.get(), kMaxHead, deadline, head))
            continue;
        if (head.size() >= 12 && head.compare(0, 5, "HTTP/") == 0 &&
            head[head.find(' ') + 1] == '2') {
            delivered = true;
            break;
        }
    }
    if (table_.record(sub.sid, delivered, kMaxFailures))
        log::info("dlna: subscription ", sub.sid, " dropped: its callback does not answer");
}

std::string EventNotifier::changed_containers(std::uint32_t since, std::uint32_t now) {
    // Without per-container ids, the root changed with the library: a control point re-reads
    // what it shows.
    std::string root = "0," + std::to_string(now);
    if (!sources_.container_update_ids) return root;
    try {
        std::string out;
        for (const auto& [id, update] : sources_.container_update_ids(since))
            out += (out.empty() ? "" : ",") + id + "," + std::to_string(update);
        return out;
    } catch (const std::exception& e) {
        log::warn("dlna: reading ContainerUpdateIDs: ", e.what());
        return root;
    }
}

void EventNotifier::poll_changes() {
    auto now = Clock::now();
    table_.expire(now);
    auto subs = table_.of(kContentDirectory, now);
    if (subs.empty()) return;  // nobody listens: no query at all
    auto id = read_update_id();
    if (!id) return;
    bool changed = last_id_ && *id != *last_id_;
    std::uint32_t previous = last_id_.value_or(0);
    last_id_ = id;
    if (!changed) return;
    // The containers changed since the event before the last one: SystemUpdateID moves at the
    // statement, before its transaction commits, so a container a batch marked just before the
    // last event may have been invisible then. One interval of overlap names it now (naming a
    // container twice only makes a control point re-read it).
    std::uint32_t since = overlap_since_.value_or(previous);
    overlap_since_ = previous;
    // Evented together, at most once a poll (UPnP's moderation): the containers that changed
    // since the last event, "id,updateId,id,updateId".
    Values values{{"SystemUpdateID", std::to_string(*id)},
                  {"ContainerUpdateIDs", changed_containers(since, *id)}};
    for (const auto& s : subs)
        if (s.next_seq != 0) send(s, values);  // a new one gets the value in its initial event
}

void EventNotifier::run() {
    auto next_poll = std::chrono::steady_clock::now();
    for (;;) {
        std::unique_lock lock(mutex_);
        cv_.wait_until(lock, next_poll, [this] { return stop_ || !queue_.empty(); });
        if (stop_) return;
        if (!queue_.empty()) {
            Subscription sub = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            Values values;
            if (sub.service == kContentDirectory) {
                auto id = read_update_id();
                // Only the first reading: taking a newer value here would hide that change
                // from the subscribers already there (the next poll events it to all).
                if (id && !last_id_) last_id_ = id;
                values = {{"SystemUpdateID", std::to_string(id.value_or(last_id_.value_or(0)))},
                          {"ContainerUpdateIDs", ""}};
            } else {
                std::string source =
                    sources_.source_protocol_info ? sources_.source_protocol_info() : "";
                values = {{"SourceProtocolInfo", source},
                          {"SinkProtocolInfo", ""},
                          {"CurrentConnectionIDs", "0"}};
            }
            send(sub, values);
            continue;
        }
        lock.unlock();
        next_poll = std::chrono::steady_clock::now() + std::chrono::milliseconds(poll_ms_);
        poll_changes();
    }
}

}  // namespace sonique::dlna::gena
