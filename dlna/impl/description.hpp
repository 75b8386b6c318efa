#pragma once
// The UPnP description documents (Device Architecture 1.0 §2): the MediaServer:1 device and the
// SCPDs of ContentDirectory:1 and ConnectionManager:1.
#include <string>
#include <string_view>

#include "dlna/device_identity.hpp"

namespace sonique::dlna {

inline constexpr std::string_view kContentDirectoryType =
    "urn:schemas-upnp-org:service:ContentDirectory:1";
inline constexpr std::string_view kConnectionManagerType =
    "urn:schemas-upnp-org:service:ConnectionManager:1";

// Where each service's GENA subscriptions go (absolute URLs); empty: under base_url.
struct EventUrls {
    std::string content_directory;
    std::string connection_manager;
};

// The device description with every URL absolute: under identity.base_url, the eventSubURLs
// as given. Any thread.
std::string device_description(const DeviceIdentity& identity, const EventUrls& events = {});
// The service descriptions: constant documents.
std::string_view content_directory_scpd();
std::string_view connection_manager_scpd();

}  // namespace sonique::dlna
