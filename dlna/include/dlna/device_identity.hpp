#pragma once
#include <string>
namespace sonique::dlna {
// Who the media server says it is: the same values go into the SSDP announcements
// (USN, LOCATION) and into the device description document (UDN, friendlyName).
struct DeviceIdentity {
    std::string uuid;           // "uuid:" not included, e.g. "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    std::string friendly_name;  // "Sonique on <hostname>" by default
    std::string base_url;       // "http://192.168.1.20:8001" as seen by the client's interface
};
}  // namespace sonique::dlna
