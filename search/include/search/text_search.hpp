#pragma once
// Text search over artists, albums and tracks in PostgreSQL (docs/search.md): case, accents,
// punctuation and leading articles ignored, prefixes and typos found, non-Latin names matched as
// written. One statement per call; the answer's JSON is built by PostgreSQL.
#include <cstdint>
#include <string_view>

#include "core/json_text.hpp"
#include "search/text_query.hpp"

namespace sonique::db {
class Connection;
}

namespace sonique::search {

// GET /api/search/typeahead: {"items":[{id, title, artist, album, type}]}, at most limit items
// in all, best first (exact, then prefix, then substring, then fuzzy matches; within a tier
// tracks, then artists, then albums). An empty or blank query answers no items without a
// statement. Throws db::DbError; any thread (the
// connection is the caller's).
JsonText typeahead(db::Connection& conn, std::string_view query, int64_t limit);

// POST /api/search/: {total, items, facets, page, total_pages, suggestion}. Facets count the
// matches that pass the filters; `suggestion` is a name that the query probably meant when it
// found nothing better than fuzzy matches, else null. Throws db::DbError; any thread.
JsonText search_library(db::Connection& conn, const SearchRequest& request);

// The answers for an empty or blank query, without a connection. Throw nothing; any thread.
JsonText typeahead_empty();
JsonText search_empty(int64_t page);

}  // namespace sonique::search
