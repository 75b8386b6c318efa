// /api/genres (api.md §7).
#include "server/routes.hpp"
#include "services/genres.hpp"
#include "services/shapes_input.hpp"

namespace sonique::server {
namespace {

using services::GenreService;

int64_t genre_id(Context& ctx) {
    return services::entity_id(ctx.path("id"), "id", services::kGenreNotFound);
}

void answer(Context& ctx, int status, const std::string& json_text) {
    ctx.res.status = status;
    ctx.res.set_content(json_text, "application/json");
}

}  // namespace

void add_genre_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<GenreService>(env.services);
    router.add("GET", "/api/genres", [svc](Context& ctx) {
        auto page = ctx.page();
        answer(ctx, 200, svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/genres/search", [svc](Context& ctx) {
        auto name = services::text_param(ctx.query("name"), "name");
        bool exact = ctx.query_bool("exact_match").value_or(false);
        auto page = ctx.page();
        answer(ctx, 200, svc->search(name, exact, page.skip, page.limit));
    });
    router.add("POST", "/api/genres",
               [svc](Context& ctx) { answer(ctx, 201, svc->create(ctx.body())); });
    router.add("GET", "/api/genres/{id}",
               [svc](Context& ctx) { answer(ctx, 200, svc->get(genre_id(ctx))); });
    router.add("PUT", "/api/genres/{id}", [svc](Context& ctx) {
        int64_t id = genre_id(ctx);
        answer(ctx, 200, svc->update(id, ctx.body()));
    });
    router.add("DELETE", "/api/genres/{id}", [svc](Context& ctx) {
        svc->remove(genre_id(ctx));
        ctx.no_content();
    });
}

}  // namespace sonique::server
