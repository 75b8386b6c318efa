#pragma once
// Search (api-contract.md §13): a thin facade over the search layer (docs/search.md). Any
// thread. Methods throw db::DbError (503 when the database is unreachable).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/json_text.hpp"
#include "search/text_query.hpp"
#include "services/context.hpp"

namespace sonique::services {

class Similarity;

class SearchService {
  public:
    // similarity (may be null): its tags sets rank the hybrid half of search().
    explicit SearchService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity = nullptr)
        : ctx_(ctx), similarity_(std::move(similarity)) {}

    // GET /api/search/typeahead: limit 1..50 (validated by the HTTP layer).
    JsonText typeahead(std::string_view query, int64_t limit);
    // POST /api/search/: page >= 1 and page_size 1..100 (clamped by the HTTP layer). Text ranks
    // fused with the tags sets' ranks (`ranking` set to "hybrid"); text alone ("text") while a
    // tags set has no index (the route says which in the X-Sonique-Ranking header).
    JsonText search(const search::SearchRequest& request, std::string* ranking = nullptr);

  private:
    ServiceContext& ctx_;
    std::shared_ptr<Similarity> similarity_;
};

}  // namespace sonique::services
