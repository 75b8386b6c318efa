#pragma once
// GENA eventing of the media server's services (UPnP Device Architecture 1.0, clause 4) on a
// small listener of its own: cpp-httplib 0.11.4 answers any method it does not know
// (SUBSCRIBE, UNSUBSCRIBE) with 400 before routing, so the main HTTP server cannot take them.
// See docs/dlna-network.md.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonique::dlna {

enum class EventedService { kContentDirectory = 0, kConnectionManager = 1 };

// The path of a service's eventSubURL: "/dlna/event/ContentDirectory", ".../ConnectionManager".
const char* event_path(EventedService service);

struct EventSources {
    // ContentDirectory's SystemUpdateID. Called on the eventing thread only, about every
    // poll interval while someone subscribes to ContentDirectory; may throw (the poll is then
    // skipped and logged).
    std::function<std::uint32_t()> system_update_id;
    // ConnectionManager's SourceProtocolInfo (the protocolInfo list of what Sonique serves).
    std::function<std::string()> source_protocol_info;
    // ContentDirectory's ContainerUpdateIDs: the containers changed after SystemUpdateID
    // `since`, each with its ContainerUpdateID (what Browse answers as its UpdateID). Called on
    // the eventing thread when SystemUpdateID moved; may throw (logged). Unset or thrown: the
    // event names the root ("0,<SystemUpdateID>"), so that control points re-read everything.
    std::function<std::vector<std::pair<std::string, std::uint32_t>>(std::uint32_t since)>
        container_update_ids;
};

struct EventOptions {
    std::string host = "0.0.0.0";  // listen address (the HTTP server's)
    int port = 0;                  // 0: any free port
    bool allow_public = false;     // accept SUBSCRIBE and callbacks on public addresses
    size_t max_subscriptions = 64;
    int max_timeout_s = 1800;      // the longest subscription granted (and "infinite")
    int poll_ms = 2000;            // change checks, and the least time between two events
    int notify_timeout_ms = 2000;  // connect, send and answer time of one NOTIFY
};

class EventServer {
  public:
    // Binds the listener and starts its two threads (requests; NOTIFY and change polls).
    // Throws std::system_error when the port cannot be bound. One thread (app start-up).
    EventServer(EventOptions options, EventSources sources);
    // Stops both threads (an in-flight NOTIFY ends within its timeout). Never throws.
    ~EventServer();
    EventServer(const EventServer&) = delete;
    EventServer& operator=(const EventServer&) = delete;

    // The bound port. Any thread.
    int port() const noexcept;
    // The eventSubURL for the description served as base_url ("http://192.168.1.20:8001"):
    // the same host with this listener's port and event_path(service). Any thread.
    std::string event_url(std::string_view base_url, EventedService service) const;
    // Live subscriptions (tests, logs). Any thread.
    size_t subscriptions() const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonique::dlna
