#pragma once
// Splitting of one tag value into several (artists, genres) and small tag parsers. No I/O.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scanner/tag_reader.hpp"

namespace sonique::scanner {

// Splits value on rules.separators, except inside rules.exceptions (matched case-insensitively),
// trims each part and drops empty and duplicate (case-insensitive) parts.
std::vector<std::string> split_values(std::string_view value, const SplitRules& rules);

// Splits each value of a multi-valued tag and concatenates, keeping order and dropping duplicates.
std::vector<std::string> split_all(const std::vector<std::string>& values, const SplitRules& rules);

// "3/12" -> 12; nullopt when there is no total.
std::optional<int> total_of(std::string_view number);
// True for "1", "true", "yes" (the compilation flag's spellings).
bool truthy(std::string_view value);
// Leading number of a text such as "-6.5 dB" or "128.0".
std::optional<double> leading_double(std::string_view value);
// A four-digit year at the start of a date ("2001-05-02" -> "2001").
std::optional<std::string> year_of(std::string_view date);
// "Am", "A minor", "C#m" -> {"A", "minor"} ... ; nullopt scale when unknown.
void parse_key(std::string_view text, std::optional<std::string>& key,
               std::optional<std::string>& scale);

}  // namespace sonique::scanner
