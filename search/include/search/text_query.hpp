#pragma once
// What a text search asks for (docs/search.md), and the one rule that turns a user's text into
// a query: no database types here, so that services' public headers may use them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::search {

// Longer queries are cut to this many characters (code points): a 10,000-character query costs
// what a 200-character one does, and no name in a library is longer.
inline constexpr size_t kMaxQueryChars = 200;

// The query as searched: blanks around it trimmed, cut to kMaxQueryChars code points (never in
// the middle of a character); nullopt when nothing but blanks is left. text must be valid UTF-8
// (the HTTP layer checks it). Throws nothing; any thread.
std::optional<std::string> normalise_query(std::string_view text);

// Code points in valid UTF-8 text. Throws nothing; any thread.
size_t utf8_length(std::string_view text);

// Filters of POST /api/search/: each list is off when empty; values within a list are
// alternatives, lists combine with AND. Genre and artist names match whatever their case.
struct SearchFilters {
    std::vector<std::string> genre;
    std::vector<std::string> artist;
    std::vector<std::string> decade;  // "1990s"
    std::vector<std::string> type;    // "track", "artist", "album"
};

struct SearchRequest {
    std::string query;
    int64_t page = 1;        // 1-based, already clamped by the caller
    int64_t page_size = 10;  // 1..100, already clamped by the caller
    SearchFilters filters;
};

}  // namespace sonique::search
