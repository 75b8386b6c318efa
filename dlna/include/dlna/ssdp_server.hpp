#pragma once
// SSDP discovery (UDP 239.255.255.250:1900) of the media server: ssdp:alive announcements at
// start and periodically within the advertised lifetime, answers to M-SEARCH, ssdp:byebye on
// stop. One socket and one thread of its own; see docs/dlna-network.md.
#include <memory>
#include <string>
#include <vector>

#include "dlna/interfaces.hpp"

namespace sonique::dlna {

struct SsdpOptions {
    std::string uuid;      // the device UUID, without "uuid:"
    int http_port = 8001;  // LOCATION's port
    std::string description_path = "/dlna/description.xml";
    std::vector<Interface> interfaces;  // where to announce and answer (select_interfaces)
    int ttl = 2;                        // multicast TTL
    int max_age_s = 1800;               // CACHE-CONTROL max-age
    bool allow_public = false;          // answer M-SEARCH from public addresses
};

class SsdpServer {
  public:
    // Opens the socket (port 1900, SO_REUSEADDR so that minidlna or another server may share
    // it), joins the group on each interface, sends the first ssdp:alive round and starts the
    // thread. Throws std::system_error when the socket cannot be made or bound, or when no
    // interface could join the group. Call from one thread (app start-up).
    explicit SsdpServer(SsdpOptions options);
    // Sends ssdp:byebye for every notification type on every interface, then stops the thread.
    // Never throws.
    ~SsdpServer();
    SsdpServer(const SsdpServer&) = delete;
    SsdpServer& operator=(const SsdpServer&) = delete;

    // The interfaces that joined the group. Any thread.
    const std::vector<Interface>& interfaces() const noexcept;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sonique::dlna
