#include "dlna_network.hpp"

#include <stdexcept>
#include <system_error>

#include "core/log.hpp"
#include "dlna/identity_store.hpp"
#include "dlna/interfaces.hpp"
#include "dlna/protocol_info.hpp"
#include "services/library_update_id.hpp"

namespace sonique::app {

DlnaNetwork::DlnaNetwork(const Config& config, services::ServiceContext& services)
    : config_(config),
      uuid_(dlna::load_or_create_device_uuid(config.data_dir)),
      name_(dlna::friendly_name(config)) {
    dlna::EventOptions o;
    o.host = config.host;
    o.port = config.dlna_event_port >= 0 ? config.dlna_event_port
             : config.port == 0          ? 0
                                         : config.port + 1;
    o.allow_public = config.dlna_allow_public;
    o.max_timeout_s = config.dlna_max_age_s;
    dlna::EventSources sources;
    sources.system_update_id = [&services] { return services::library_update_id(services); };
    // At most this many containers in one ContainerUpdateIDs (a scan can touch every album):
    // the shallowest first, so the top lists a control point shows always come.
    sources.container_update_ids = [&services](std::uint32_t since) {
        return services::container_update_ids_since(services, since, 256);
    };
    sources.source_protocol_info = dlna::source_protocol_info;
    try {
        events_ = std::make_unique<dlna::EventServer>(o, std::move(sources));
    } catch (const std::system_error& e) {
        throw std::runtime_error(std::string(e.what()) +
                                 ": the DLNA eventing port is taken (set SONIQUE_DLNA_EVENT_PORT, "
                                 "or SONIQUE_DLNA=off)");
    }
    log::info("dlna: device uuid:", uuid_, " \"", name_, "\"");
}

DlnaNetwork::~DlnaNetwork() {
    stop_discovery();
    events_.reset();
}

void DlnaNetwork::start_discovery(int http_port) {
    std::vector<std::string> missing;
    std::vector<dlna::Interface> chosen;
    try {
        chosen = dlna::select_interfaces(dlna::list_ipv4_interfaces(), config_.dlna_interfaces,
                                         &missing);
    } catch (const std::system_error& e) {
        log::warn("dlna: cannot list network interfaces (", e.what(), "): discovery off");
        return;
    }
    for (const auto& m : missing)
        log::warn("dlna: SONIQUE_DLNA_INTERFACES names ", m, ", which this host does not have");
    if (chosen.empty()) {
        log::warn(
            "dlna: no interface with a private IPv4 address (set SONIQUE_DLNA_INTERFACES): "
            "discovery off");
        return;
    }
    dlna::SsdpOptions o;
    o.uuid = uuid_;
    o.http_port = http_port;
    o.interfaces = std::move(chosen);
    o.ttl = config_.dlna_ttl;
    o.max_age_s = config_.dlna_max_age_s;
    o.allow_public = config_.dlna_allow_public;
    try {
        auto ssdp = std::make_unique<dlna::SsdpServer>(std::move(o));
        std::lock_guard lock(ssdp_mutex_);
        ssdp_ = std::move(ssdp);
    } catch (const std::system_error& e) {
        log::warn("dlna: SSDP not started (", e.what(), "): discovery off");
    }
}

void DlnaNetwork::stop_discovery() noexcept {
    std::unique_ptr<dlna::SsdpServer> gone;
    {
        std::lock_guard lock(ssdp_mutex_);
        gone = std::move(ssdp_);
    }
    gone.reset();  // byebye, outside the lock
}

dlna::DeviceIdentity DlnaNetwork::identity(const std::string& base_url) const {
    return {uuid_, name_, base_url};
}

std::string DlnaNetwork::event_url(const std::string& base_url,
                                   dlna::EventedService service) const {
    return events_->event_url(base_url, service);
}

}  // namespace sonique::app
