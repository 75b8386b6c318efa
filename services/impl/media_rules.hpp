#pragma once
// The media services' own rules, private to services/ (tests/services reaches them through
// PRIVATE_HEADERS_OF): confinement of streamed files, HTTP dates and the covers' base64 input.
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::services {

// True when resolved (a realpath) lies strictly inside one of the roots (resolved themselves,
// with core's path_within). No roots: false, nothing is streamed. Any thread.
bool inside_roots(const std::string& resolved, const std::vector<std::string>& roots);

// "Sun, 06 Nov 1994 08:49:37 GMT" and back (nullopt when not an IMF-fixdate). Any thread.
std::string http_date(std::time_t t);
std::optional<std::time_t> parse_http_date(const std::string& text);

// Decodes strict base64 (padding optional, whitespace ignored) after an optional data-URL
// prefix. nullopt when it is not base64. Any thread.
std::optional<std::string> decode_cover_data(std::string_view text);

}  // namespace sonique::services
