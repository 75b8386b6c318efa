#pragma once
// GENA (UPnP Device Architecture 1.0, clause 4) on the wire: the SUBSCRIBE and UNSUBSCRIBE
// requests Sonique accepts, and the NOTIFY it sends. Pure text functions; any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonique::dlna::gena {

// Largest request head read (request line and headers); a longer one is answered 400.
inline constexpr size_t kMaxHead = 8192;

struct Request {
    std::string method;  // SUBSCRIBE, UNSUBSCRIBE, or anything else (answered 405)
    std::string path;
    std::optional<std::string> sid, callback, nt, timeout;
    long long content_length = 0;
};

// Parses a request head (up to and without the blank line). nullopt when malformed: a bad
// request line, a header line without ':', more than 64 headers, a repeated SID/CALLBACK/NT.
std::optional<Request> parse_request(std::string_view head);

// The URLs of a CALLBACK header ("<http://a/b><http://c/d>"); empty when malformed, when one
// is not http:// with an IPv4 literal host, or when there are more than 4.
struct Url {
    std::uint32_t host = 0;  // host byte order
    int port = 80;
    std::string host_text;
    std::string path;  // "/..." (never empty)
};
std::vector<Url> parse_callback(std::string_view header);
std::optional<Url> parse_url(std::string_view url);

// Seconds granted for a TIMEOUT header ("Second-N" or "infinite"): N clamped to
// [1, max_s]; infinite, missing or malformed: max_s.
int granted_timeout(const std::optional<std::string>& header, int max_s);

// The body of a NOTIFY: an e:propertyset with one e:property per (name, value), the values
// XML-escaped.
std::string propertyset(const std::vector<std::pair<std::string, std::string>>& values);
// The whole NOTIFY request to url.
std::string notify_request(const Url& url, const std::string& sid, std::uint32_t seq,
                           const std::string& body);

// A response with no body: status line, the given extra header lines ("SID: ..."), date,
// server, Content-Length 0 and Connection: close.
std::string response(int status, const std::vector<std::string>& headers, const std::string& server,
                     const std::string& date);

}  // namespace sonique::dlna::gena
