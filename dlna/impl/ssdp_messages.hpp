#pragma once
// SSDP datagrams (UPnP Device Architecture 1.0, clause 1): the announcements and search answers
// Sonique sends, and the M-SEARCH requests it accepts. Pure text functions; any thread.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::dlna::ssdp {

inline constexpr const char* kGroup = "239.255.255.250";
inline constexpr int kPort = 1900;
inline constexpr const char* kMediaServer = "urn:schemas-upnp-org:device:MediaServer:1";
inline constexpr const char* kContentDirectory = "urn:schemas-upnp-org:service:ContentDirectory:1";
inline constexpr const char* kConnectionManager =
    "urn:schemas-upnp-org:service:ConnectionManager:1";
// Largest datagram read; a longer one is ignored (a real M-SEARCH is ~150-300 bytes).
inline constexpr size_t kMaxDatagram = 2048;
// An MX above this is treated as this: the answer never waits longer (UDA 1.1 caps it at 5).
inline constexpr int kMaxMx = 5;

// What the announcements say about the device.
struct Advert {
    std::string uuid;      // without "uuid:"
    std::string location;  // http://<interface address>:<port>/dlna/description.xml
    std::string server;    // "Linux/6.1 UPnP/1.0 Sonique/0.1.0"
    int max_age_s = 1800;
};

// The five notification types: upnp:rootdevice, uuid:<uuid>, the MediaServer device type and
// the two service types.
std::vector<std::string> notification_types(const std::string& uuid);
// The USN of nt: "uuid:<uuid>" for the uuid itself, else "uuid:<uuid>::<nt>".
std::string usn(const std::string& uuid, const std::string& nt);

std::string alive(const Advert& a, const std::string& nt);
std::string byebye(const std::string& uuid, const std::string& nt);
// The unicast answer to an M-SEARCH for st; date is an RFC 1123 date.
std::string search_response(const Advert& a, const std::string& st, const std::string& date);
// The current time as an RFC 1123 date ("Sun, 06 Dec 2026 02:20:00 GMT").
std::string http_date();

struct Search {
    std::string st;
    int mx = 1;  // seconds, 1..kMaxMx
};

// Parses an M-SEARCH. nullopt when the datagram is something else (a NOTIFY, an answer) or is
// malformed: a bad request line, a header line without ':', more than 64 headers, MAN other
// than "ssdp:discover", no ST, or (multicast) an MX that is missing, negative or not a number.
// A unicast M-SEARCH may omit MX (answered at once). Never throws.
std::optional<Search> parse_search(std::string_view datagram, bool multicast);

// The notification types of ours that answer a search for st (ssdp:all: all five; a type of
// ours: that one; anything else: none).
std::vector<std::string> answers_for(const std::string& uuid, const std::string& st);

}  // namespace sonique::dlna::ssdp
