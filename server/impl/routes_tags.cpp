// /api/tags (api.md §7).
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/shapes_input.hpp"
#include "services/tags.hpp"

namespace sonique::server {
namespace {

void answer(Context& ctx, const std::string& json_text) {
    ctx.res.status = 200;
    ctx.res.set_content(json_text, "application/json");
}

}  // namespace

void add_tag_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::TagService>(env.services);
    router.add("GET", "/api/tags", [svc](Context& ctx) {
        auto type = services::text_param(ctx.query("type"), "type");
        if (!type) throw ValidationError({"query", "type"}, "Field required", "missing");
        answer(ctx, svc->list(*type));
    });
    for (const char* kind : {"genre", "mood"}) {
        std::string path = std::string("/api/tags/") + kind + "-tags";
        router.add("GET", path, [svc, kind](Context& ctx) { answer(ctx, svc->list(kind)); });
        router.add("POST", path,
                   [svc, kind](Context& ctx) { answer(ctx, svc->create(kind, ctx.body())); });
    }
}

}  // namespace sonique::server
