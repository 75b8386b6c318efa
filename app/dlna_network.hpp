#pragma once
// The network half of the DLNA media server in `sonique serve`: the device identity, GENA
// eventing and SSDP discovery, started and stopped with the HTTP server (docs/dlna-network.md).
#include <memory>
#include <mutex>
#include <string>

#include "core/config.hpp"
#include "dlna/device_identity.hpp"
#include "dlna/event_server.hpp"
#include "dlna/ssdp_server.hpp"
#include "services/context.hpp"

namespace sonique::app {

class DlnaNetwork {
  public:
    // Loads or makes the device UUID and starts eventing (its port: SONIQUE_DLNA_EVENT_PORT,
    // else the HTTP port + 1). Build it before the routes, which need event_url(). Throws
    // std::system_error when the eventing port cannot be bound. Main thread.
    DlnaNetwork(const Config& config, services::ServiceContext& services);
    // Sends byebye (if still announcing) and stops eventing. Never throws.
    ~DlnaNetwork();

    // Starts SSDP announcing LOCATION on http_port (the bound HTTP port). A failure (port 1900
    // refused, no private interface) is logged and leaves discovery off: the server still runs
    // and a control point given the description URL still works. Main thread.
    void start_discovery(int http_port);
    // Sends ssdp:byebye and stops announcing (the first thing a SIGINT/SIGTERM does, so that a
    // long drain of in-flight streams cannot keep the server listed). Any thread; idempotent.
    void stop_discovery() noexcept;

    // The identity the description document gives a client that reached us at base_url.
    dlna::DeviceIdentity identity(const std::string& base_url) const;
    // The eventSubURL of a service for that client. Any thread.
    std::string event_url(const std::string& base_url, dlna::EventedService service) const;
    const dlna::EventServer& events() const noexcept { return *events_; }

  private:
    const Config& config_;
    std::string uuid_;
    std::string name_;
    std::unique_ptr<dlna::EventServer> events_;
    std::mutex ssdp_mutex_;
    std::unique_ptr<dlna::SsdpServer> ssdp_;
};

}  // namespace sonique::app
