// Range, date and MIME arithmetic for streaming (no HTTP library here).
#include <strings.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/strings.hpp"
#include "media_rules.hpp"
#include "services/stream.hpp"

namespace sonique::services {

std::string audio_mime_type(const std::optional<std::string>& file_type, std::string_view path) {
    if (file_type && file_type->find('/') != std::string::npos) return *file_type;
    static const std::map<std::string, std::string> by_extension{
        {"mp3", "audio/mpeg"},       {"flac", "audio/flac"}, {"ogg", "audio/ogg"},
        {"oga", "audio/ogg"},        {"opus", "audio/ogg"},  {"m4a", "audio/mp4"},
        {"m4b", "audio/mp4"},        {"mp4", "audio/mp4"},   {"aac", "audio/aac"},
        {"wav", "audio/wav"},        {"aif", "audio/aiff"},  {"aiff", "audio/aiff"},
        {"wma", "audio/x-ms-wma"},   {"ape", "audio/x-ape"}, {"wv", "audio/x-wavpack"},
        {"mpc", "audio/x-musepack"}, {"dsf", "audio/x-dsf"}, {"webm", "audio/webm"}};
    const auto dot = path.rfind('.');
    const auto slash = path.rfind('/');
    if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
        auto it = by_extension.find(to_lower(path.substr(dot + 1)));
        if (it != by_extension.end()) return it->second;
    }
    return "application/octet-stream";
}

std::string http_date(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::optional<std::time_t> parse_http_date(const std::string& text) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end != '\0') return std::nullopt;
    return timegm(&tm);
}

RangePlan plan_range(const std::vector<std::pair<int64_t, int64_t>>& ranges, int64_t size) {
    RangePlan plan{RangeOutcome::kFull, 0, size};
    if (ranges.size() != 1) return plan;
    auto [first, last] = ranges.front();
    if (first < 0 && last < 0) return plan;
    RangePlan bad{RangeOutcome::kUnsatisfiable, 0, 0};
    if (first < 0) {  // suffix: the last `last` bytes
        if (last == 0 || size == 0) return bad;
        first = std::max<int64_t>(0, size - last);
        last = size - 1;
    }
    if (first >= size) return bad;
    if (last < 0 || last >= size) last = size - 1;
    if (last < first) return bad;
    return RangePlan{RangeOutcome::kPartial, first, last - first + 1};
}

namespace {

bool etag_listed(const std::string& header, const std::string& etag) {
    if (trim(header) == "*") return true;
    for (const auto& part : split(header, ',')) {
        std::string t = trim(part);
        if (starts_with(t, "W/")) t = t.substr(2);  // weak comparison for If-None-Match
        if (t == etag) return true;
    }
    return false;
}

}  // namespace

bool not_modified(const Conditions& c, const AudioFile& file) {
    if (!c.if_none_match.empty()) return etag_listed(c.if_none_match, file.etag);
    if (c.if_modified_since.empty()) return false;
    auto since = parse_http_date(trim(c.if_modified_since));
    return since && file.mtime <= *since;
}

bool range_applies(const Conditions& c, const AudioFile& file) {
    const std::string v = trim(c.if_range);
    if (v.empty()) return true;
    if (v.front() == '"' || starts_with(v, "W/")) return v == file.etag;  // strong only
    auto date = parse_http_date(v);
    return date && *date == file.mtime;
}

}  // namespace sonique::services
