// /api/tags (api-contract.md §7).
#include "core/error.hpp"
#include "input_catalog.hpp"
#include "server/routes.hpp"
#include "services/tags.hpp"

namespace sonique::server {

void add_tag_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::TagService>(env.services);
    router.add("GET", "/api/tags", [svc](Context& ctx) {
        auto type = text_param(ctx.query("type"), "type");
        if (!type) throw ValidationError({"query", "type"}, "Field required", "missing");
        ctx.answer(svc->list(*type));
    });
    for (const char* kind : {"genre", "mood"}) {
        std::string path = std::string("/api/tags/") + kind + "-tags";
        router.add("GET", path, [svc, kind](Context& ctx) { ctx.answer(svc->list(kind)); });
        router.add("POST", path, [svc, kind](Context& ctx) {
            ctx.answer(svc->create(kind, read_name(ctx.body())));
        });
    }
}

}  // namespace sonique::server
