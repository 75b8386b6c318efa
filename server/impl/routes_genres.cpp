// /api/genres (api-contract.md §7).
#include "input_catalog.hpp"
#include "server/routes.hpp"
#include "services/genres.hpp"

namespace sonique::server {

void add_genre_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::GenreService>(env.services);
    auto genre_id = [](Context& ctx) { return ctx.path_id("id", services::kGenreNotFound); };
    router.add("GET", "/api/genres", [svc](Context& ctx) {
        auto page = ctx.page();
        ctx.answer(svc->list(page.skip, page.limit));
    });
    router.add("GET", "/api/genres/search", [svc](Context& ctx) {
        auto name = text_param(ctx.query("name"), "name");
        bool exact = ctx.query_bool("exact_match").value_or(false);
        auto page = ctx.page();
        ctx.answer(svc->search(name, exact, page.skip, page.limit));
    });
    router.add("POST", "/api/genres",
               [svc](Context& ctx) { ctx.answer(svc->create(read_name(ctx.body())), 201); });
    router.add("GET", "/api/genres/{id}",
               [svc, genre_id](Context& ctx) { ctx.answer(svc->get(genre_id(ctx))); });
    router.add("PUT", "/api/genres/{id}", [svc, genre_id](Context& ctx) {
        int64_t id = genre_id(ctx);
        ctx.answer(svc->update(id, read_name(ctx.body())));
    });
    router.add("DELETE", "/api/genres/{id}", [svc, genre_id](Context& ctx) {
        svc->remove(genre_id(ctx));
        ctx.no_content();
    });
}

}  // namespace sonique::server
