#pragma once
// Text search over artists, albums and tracks in PostgreSQL (docs/search.md): case, accents,
// punctuation and leading articles ignored, prefixes and typos found, non-Latin names matched as
// written. One statement per call; the answer's JSON is built by PostgreSQL.
#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

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

// Ranked lists that a vector search gave for the query (the tags sets), best first: fused with
// the text ranking by Reciprocal Rank Fusion. Each list need only hold its first
// vector_candidates(page, page_size) entries.
struct VectorLists {
    std::vector<int64_t> artists;
    std::vector<int64_t> tracks;
};

// How many entries of each ranked list decide the first page * page_size fused items exactly:
// an item beyond rank N in every list scores at most 2 / (61 + N), and the page's last item at
// least 1 / (60 + page * page_size) (the text list alone gives that many), so N = 2 * page *
// page_size + 60 suffices (docs/search.md); capped at kMaxVectorCandidates. Throws nothing.
inline constexpr int64_t kMaxVectorCandidates = 1000;
inline int64_t vector_candidates(int64_t page, int64_t page_size) {
    if (page > kMaxVectorCandidates || page_size > kMaxVectorCandidates)
        return kMaxVectorCandidates;
    return std::min<int64_t>(2 * page * page_size + 60, kMaxVectorCandidates);
}

// POST /api/search/: {total, items, facets, page, total_pages, suggestion}. Items are the text
// matches and the vector lists' entries (none when vectors is null), fused (hybrid_score the
// fused score). Facets count the items that pass the filters; `suggestion` is a name that the
// query probably meant when it found nothing better than fuzzy matches, else null. Throws
// db::DbError; any thread.
JsonText search_library(db::Connection& conn, const SearchRequest& request,
                        const VectorLists* vectors = nullptr);

// The answers for an empty or blank query, without a connection. Throw nothing; any thread.
JsonText typeahead_empty();
JsonText search_empty(int64_t page);

}  // namespace sonique::search
