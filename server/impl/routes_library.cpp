// /api/library (api-contract.md §9).
#include "server/routes.hpp"
#include "services/library.hpp"

namespace sonique::server {

void add_library_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::LibraryService>(env.services);
    router.add("GET", "/api/library/tree", [svc](Context& ctx) { ctx.answer_etag(svc->tree()); });
    // An unknown artist (negative or huge ids included) is answered with [].
    router.add("GET", "/api/library/artist/{id}/albums",
               [svc](Context& ctx) { ctx.answer(svc->artist_albums(ctx.path_id("id"))); });
}

}  // namespace sonique::server
