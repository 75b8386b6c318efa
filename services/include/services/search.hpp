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
}  // namespace sonique::services
namespace sonique::search {
class TypeaheadIndex;
}
namespace sonique::services {

class SearchService {
  public:
    // similarity (may be null): its tags sets rank the hybrid half of search().
    // The typeahead index (search/typeahead_index.hpp) starts loading at once.
    explicit SearchService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity = nullptr);
    ~SearchService();

    // GET /api/search/typeahead: limit 1..50 (validated by the HTTP layer). From the typeahead
    // index when it is current (`path` set to "index"), else from PostgreSQL ("sql"); the same
    // answer either way.
    JsonText typeahead(std::string_view query, int64_t limit, std::string* path = nullptr);
    // This process may have changed names (an API write): the typeahead answers from PostgreSQL
    // until its index has checked the generation again. Never throws; any thread.
    void names_may_have_changed() noexcept;
    // POST /api/search/: page >= 1 and page_size 1..100 (clamped by the HTTP layer). Text ranks
    // fused with the tags sets' ranks (`ranking` set to "hybrid"); text alone ("text") while a
    // tags set has no index (the route says which in the X-Sonique-Ranking header). The text
    // half from the typeahead index when it is current (`path` "index"), else from PostgreSQL
    // ("sql"); the same answer either way.
    JsonText search(const search::SearchRequest& request, std::string* ranking = nullptr,
                    std::string* path = nullptr);

  private:
    ServiceContext& ctx_;
    std::shared_ptr<Similarity> similarity_;
    std::unique_ptr<search::TypeaheadIndex> typeahead_;
};

}  // namespace sonique::services
