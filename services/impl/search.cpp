// Search answers are not cached: each is one indexed statement, and a cache keyed by free text
// would hold mostly single-use entries.
#include "services/search.hpp"

#include "db/pool.hpp"
#include "search/text_search.hpp"

namespace sonique::services {

JsonText SearchService::typeahead(std::string_view query, int64_t limit) {
    if (!search::normalise_query(query)) return search::typeahead_empty();
    auto conn = ctx_.pool.acquire();
    return search::typeahead(*conn, query, limit);
}

JsonText SearchService::search(const search::SearchRequest& request) {
    if (!search::normalise_query(request.query)) return search::search_empty(request.page);
    auto conn = ctx_.pool.acquire();
    return search::search_library(*conn, request);
}

}  // namespace sonique::services
