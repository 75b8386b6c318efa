// /api/library (api.md §9).
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/library.hpp"
#include "services/shapes_input.hpp"

namespace sonique::server {

void add_library_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::LibraryService>(env.services);
    router.add("GET", "/api/library/tree", [svc](Context& ctx) { ctx.json_etag(svc->tree()); });
    router.add("GET", "/api/library/artist/{id}/albums", [svc](Context& ctx) {
        int64_t id = 0;
        try {
            id = services::entity_id(ctx.path("id"), "id", "unknown");
        } catch (const ValidationError&) {
            throw;
        } catch (const Error&) {
            id = 0;  // negative or huge: an unknown artist, answered with []
        }
        ctx.res.status = 200;
        ctx.res.set_content(svc->artist_albums(id), "application/json");
    });
}

}  // namespace sonique::server
