// /api/search (api-contract.md §13): the frontend's typeahead and the faceted search; the
// recommendations by artist name.
#include <algorithm>

#include "core/strings.hpp"
#include "input.hpp"
#include "server/routes.hpp"
#include "services/search.hpp"
#include "services/similarity.hpp"

namespace sonique::server {
namespace {

// Pages past this one are empty anyway; the cap keeps (page - 1) * page_size far from overflow.
constexpr int64_t kMaxPage = 1'000'000'000;

// page < 1 reads as 1 and page_size outside 1..100 as 20 (the contract keeps the old rules);
// anything that is not an integer, a filter list that is not a list of strings: 422.
search::SearchRequest read_search(const Json& body) {
    Fields f(body, {"body"});
    search::SearchRequest r;
    r.query = f.text("query", true).value_or("");
    int64_t page = f.integer("page").value_or(1);
    r.page = std::clamp<int64_t>(page, 1, kMaxPage);
    int64_t size = f.integer("page_size").value_or(10);
    r.page_size = size < 1 || size > 100 ? 20 : size;
    f.check();
    if (!f.is_null("filters")) {
        Fields filters(body["filters"], {"body", "filters"});
        r.filters.genre = filters.strings("genre").value_or(std::vector<std::string>{});
        r.filters.artist = filters.strings("artist").value_or(std::vector<std::string>{});
        r.filters.decade = filters.strings("decade").value_or(std::vector<std::string>{});
        r.filters.type = filters.strings("type").value_or(std::vector<std::string>{});
        filters.check();
    }
    return r;
}

}  // namespace

void add_search_routes(Router& router, RouteEnv& env) {
    if (!env.search)
        env.search = std::make_shared<services::SearchService>(env.services, env.similarity);
    auto svc = env.search;
    router.add("GET", "/api/search/typeahead", [svc](Context& ctx) {
        auto q = text_param(ctx.query("q"), "q").value_or("");
        int64_t limit = ctx.query_int("limit", 1, 50).value_or(10);
        // "index" or "sql": which path answered (docs/search.md, "The typeahead index").
        std::string path;
        JsonText body = svc->typeahead(q, limit, &path);
        ctx.res.set_header("X-Sonique-Typeahead", path);
        ctx.answer(body);
    });
    router.add("POST", "/api/search", [svc](Context& ctx) {
        // "hybrid", or "text" while the tags sets have no index (docs/search.md).
        std::string ranking, path;
        JsonText body = svc->search(read_search(object_body(ctx)), &ranking, &path);
        ctx.res.set_header("X-Sonique-Ranking", ranking);
        // "index" or "sql": which path answered the text half (docs/search.md).
        ctx.res.set_header("X-Sonique-Search", path);
        ctx.answer(body);
    });
    // Similar artists by name (api-contract.md §13): the stored and computed similarities.
    router.add("GET", "/api/recommendations/artist/{artist_name}",
               [similarity = env.similarity](Context& ctx) {
                   const std::string& name = ctx.path("artist_name");
                   if (!is_valid_utf8(name) || name.find('\0') != std::string::npos)
                       throw ValidationError({"path", "artist_name"},
                                             "Input should be a valid string (invalid UTF-8)",
                                             "string_unicode");
                   int64_t limit = ctx.query_int("limit", 1, 50).value_or(10);
                   ctx.answer(similarity->recommendations(name, limit));
               });
}

}  // namespace sonique::server
