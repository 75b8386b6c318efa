#pragma once
// Search (api-contract.md §13): a thin facade over the search layer (docs/search.md). Any
// thread. Methods throw db::DbError (503 when the database is unreachable).
#include <cstdint>
#include <string_view>

#include "core/json_text.hpp"
#include "search/text_query.hpp"
#include "services/context.hpp"

namespace sonique::services {

class SearchService {
  public:
    explicit SearchService(ServiceContext& ctx) : ctx_(ctx) {}

    // GET /api/search/typeahead: limit 1..50 (validated by the HTTP layer).
    JsonText typeahead(std::string_view query, int64_t limit);
    // POST /api/search/: page >= 1 and page_size 1..100 (clamped by the HTTP layer).
    JsonText search(const search::SearchRequest& request);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
