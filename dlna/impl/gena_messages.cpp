#include "gena_messages.hpp"

#include <algorithm>
#include <cctype>

#include "core/strings.hpp"
#include "dlna/interfaces.hpp"

namespace sonique::dlna::gena {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

const char* reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 412:
            return "Precondition Failed";
        case 503:
            return "Service Unavailable";
        default:
            return "Error";
    }
}

}  // namespace

std::optional<Request> parse_request(std::string_view head) {
    if (head.size() > kMaxHead) return std::nullopt;
    auto eol = head.find('\n');
    std::string_view line = trim(head.substr(0, eol));
    head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 1);
    auto sp1 = line.find(' ');
    auto sp2 = line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1) return std::nullopt;
    Request r;
    r.method = std::string(line.substr(0, sp1));
    r.path = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
    if (line.substr(sp2 + 1).substr(0, 5) != "HTTP/" || r.path.empty() || r.path[0] != '/')
        return std::nullopt;
    int count = 0;
    while (!head.empty()) {
        eol = head.find('\n');
        std::string_view h = head.substr(0, eol);
        head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 1);
        if (trim(h).empty()) break;
        if (++count > 64) return std::nullopt;
        auto colon = h.find(':');
        if (colon == std::string_view::npos || colon == 0) return std::nullopt;
        std::string name = upper(trim(h.substr(0, colon)));
        std::string value(trim(h.substr(colon + 1)));
        std::optional<std::string>* slot = name == "SID"        ? &r.sid
                                           : name == "CALLBACK" ? &r.callback
                                           : name == "NT"       ? &r.nt
                                           : name == "TIMEOUT"  ? &r.timeout
                                                                : nullptr;
        if (slot) {
            if (slot->has_value()) return std::nullopt;
            *slot = std::move(value);
        } else if (name == "CONTENT-LENGTH") {
            auto n = parse_int(value);
            if (!n || *n < 0) return std::nullopt;
            r.content_length = *n;
        }
    }
    return r;
}

std::optional<Url> parse_url(std::string_view url) {
    if (url.substr(0, 7) != "http://") return std::nullopt;
    url.remove_prefix(7);
    auto slash = url.find('/');
    std::string_view hostport = url.substr(0, slash);
    Url u;
    u.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    auto colon = hostport.find(':');
    if (colon != std::string_view::npos) {
        auto n = parse_int(hostport.substr(colon + 1));
        if (!n || *n < 1 || *n > 65535) return std::nullopt;
        u.port = static_cast<int>(*n);
        hostport = hostport.substr(0, colon);
    }
    u.host_text = std::string(hostport);
    if (!parse_ipv4(u.host_text, u.host)) return std::nullopt;
    for (char c : u.path)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return std::nullopt;
    return u;
}

std::vector<Url> parse_callback(std::string_view header) {
    std::vector<Url> out;
    header = trim(header);
    while (!header.empty()) {
        if (header.front() != '<') return {};
        auto close = header.find('>');
        if (close == std::string_view::npos) return {};
        auto u = parse_url(header.substr(1, close - 1));
        if (!u || out.size() == 4) return {};
        out.push_back(std::move(*u));
        header = trim(header.substr(close + 1));
    }
    return out;
}

int granted_timeout(const std::optional<std::string>& header, int max_s) {
    if (!header) return max_s;
    std::string v = upper(*header);
    if (v.rfind("SECOND-", 0) != 0) return max_s;
    auto n = parse_int(std::string_view(v).substr(7));
    if (!n) return max_s;
    return static_cast<int>(std::clamp<long long>(*n, 1, max_s));
}

std::string propertyset(const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<e:propertyset xmlns:e=\"urn:schemas-upnp-org:event-1-0\">";
    for (const auto& [name, value] : values) {
        out += "<e:property><" + name + ">";
        append_markup_escaped(out, value);
        out += "</" + name + "></e:property>";
    }
    return out + "</e:propertyset>\n";
}

std::string notify_request(const Url& url, const std::string& sid, std::uint32_t seq,
                           const std::string& body) {
    return "NOTIFY " + url.path + " HTTP/1.1\r\nHOST: " + url.host_text + ":" +
           std::to_string(url.port) +
           "\r\nCONTENT-TYPE: text/xml; charset=\"utf-8\"\r\nNT: upnp:event\r\nNTS: "
           "upnp:propchange\r\nSID: " +
           sid + "\r\nSEQ: " + std::to_string(seq) +
           "\r\nCONTENT-LENGTH: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
           body;
}

std::string response(int status, const std::vector<std::string>& headers, const std::string& server,
                     const std::string& date) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
    for (const auto& h : headers)
        out += h + "\r\n";
    return out + "DATE: " + date + "\r\nSERVER: " + server +
           "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

}  // namespace sonique::dlna::gena
