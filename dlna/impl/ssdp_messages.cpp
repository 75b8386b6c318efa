#include "ssdp_messages.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "core/strings.hpp"

namespace sonique::dlna::ssdp {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

std::vector<std::string> notification_types(const std::string& uuid) {
    return {"upnp:rootdevice", "uuid:" + uuid, kMediaServer, kContentDirectory, kConnectionManager};
}

std::string usn(const std::string& uuid, const std::string& nt) {
    if (nt == "uuid:" + uuid) return nt;
    return "uuid:" + uuid + "::" + nt;
}

std::string alive(const Advert& a, const std::string& nt) {
    return "NOTIFY * HTTP/1.1\r\n"
           "HOST: 239.255.255.250:1900\r\n"
           "CACHE-CONTROL: max-age=" +
           std::to_string(a.max_age_s) +
           "\r\n"
           "LOCATION: " +
           a.location +
           "\r\n"
           "NT: " +
           nt +
           "\r\n"
           "NTS: ssdp:alive\r\n"
           "SERVER: " +
           a.server +
           "\r\n"
           "USN: " +
           usn(a.uuid, nt) + "\r\n\r\n";
}

std::string byebye(const std::string& uuid, const std::string& nt) {
    return "NOTIFY * HTTP/1.1\r\n"
           "HOST: 239.255.255.250:1900\r\n"
           "NT: " +
           nt +
           "\r\n"
           "NTS: ssdp:byebye\r\n"
           "USN: " +
           usn(uuid, nt) + "\r\n\r\n";
}

std::string search_response(const Advert& a, const std::string& st, const std::string& date) {
    return "HTTP/1.1 200 OK\r\n"
           "CACHE-CONTROL: max-age=" +
           std::to_string(a.max_age_s) + "\r\nDATE: " + date +
           "\r\n"
           "EXT:\r\n"
           "LOCATION: " +
           a.location + "\r\nSERVER: " + a.server + "\r\nST: " + st +
           "\r\nUSN: " + usn(a.uuid, st) + "\r\nContent-Length: 0\r\n\r\n";
}

std::string http_date() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return buf;
}

std::optional<Search> parse_search(std::string_view d, bool multicast) {
    if (d.size() > kMaxDatagram) return std::nullopt;
    auto eol = d.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    if (trim(d.substr(0, eol)) != "M-SEARCH * HTTP/1.1") return std::nullopt;
    d.remove_prefix(eol + 1);
    std::optional<std::string_view> man, st, mx;
    int headers = 0;
    while (!d.empty()) {
        eol = d.find('\n');
        std::string_view line = d.substr(0, eol);
        d.remove_prefix(eol == std::string_view::npos ? d.size() : eol + 1);
        if (trim(line).empty()) break;  // the end of the headers
        if (++headers > 64) return std::nullopt;
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return std::nullopt;
        std::string_view name = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (iequals(name, "MAN"))
            man = value;
        else if (iequals(name, "ST"))
            st = value;
        else if (iequals(name, "MX"))
            mx = value;
    }
    if (!man || *man != "\"ssdp:discover\"") return std::nullopt;
    if (!st || st->empty() || st->size() > 256) return std::nullopt;
    Search s;
    s.st = std::string(*st);
    if (mx) {
        auto n = parse_int(*mx);
        if (!n || *n < 0) return std::nullopt;
        s.mx = static_cast<int>(std::min<long long>(*n, kMaxMx));
        if (s.mx == 0 && multicast) s.mx = 1;
    } else if (multicast) {
        return std::nullopt;
    } else {
        s.mx = 0;
    }
    return s;
}

std::vector<std::string> answers_for(const std::string& uuid, const std::string& st) {
    auto all = notification_types(uuid);
    if (st == "ssdp:all") return all;
    for (const auto& nt : all)
        if (nt == st) return {nt};
    return {};
}

}  // namespace sonique::dlna::ssdp
