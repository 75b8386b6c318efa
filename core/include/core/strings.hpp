#pragma once
// Small string utilities with no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique {

std::vector<std::string> split(std::string_view text, char sep);
std::string to_lower(std::string_view text);  // ASCII only
std::string trim(std::string_view text);
bool starts_with(std::string_view text, std::string_view prefix);
// Whole-string decimal integer (optional leading '-'); nullopt on anything else or overflow.
std::optional<int64_t> parse_int(std::string_view text);
std::optional<double> parse_double(std::string_view text);
bool is_valid_utf8(std::string_view text);
// Replaces invalid UTF-8 sequences with U+FFFD.
std::string sanitize_utf8(std::string_view text);
std::string url_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);
// Appends text escaped for XML and HTML text and attribute values (& < > " '). Control
// characters XML 1.0 cannot hold (all below U+0020 but tab, LF and CR) become U+FFFD, so that
// the document stays well formed. Any thread.
void append_markup_escaped(std::string& out, std::string_view text);
// Appends text as a JSON string, quotes included: '"' and '\\' escaped, control characters as
// \b \f \n \r \t or \u00XX, everything else (UTF-8 included) as it is, as PostgreSQL's json
// functions write it. text must be valid UTF-8. Any thread.
void append_json_string(std::string& out, std::string_view text);
// Appends the shortest text that reads back as the same double (as PostgreSQL writes a float8
// with its default extra_float_digits); NaN and infinities, which JSON and XML cannot spell, as 0.
// Any thread.
void append_shortest_double(std::string& out, double value);

}  // namespace sonique
