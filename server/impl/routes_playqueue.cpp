// /api/playqueue (api.md §11).
#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/playqueue.hpp"

namespace sonique::server {
namespace {

Json object_body(Context& ctx) {
    Json body = ctx.body();
    if (!body.is_object())
        throw ValidationError({"body"}, "Input should be a valid dictionary", "dict_type");
    return body;
}

// An integer field: 422 when missing (unless optional) or not an integer.
std::optional<int64_t> int_field(const Json& body, const std::string& name, bool required,
                                 int64_t min = INT64_MIN) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required) throw ValidationError({"body", name}, "Field required", "missing");
        return std::nullopt;
    }
    if (!it->is_number_integer())
        throw ValidationError({"body", name}, "Input should be a valid integer", "int_type");
    const int64_t v = it->get<int64_t>();
    if (v < min)
        throw ValidationError({"body", name},
                              "Input should be greater than or equal to " + std::to_string(min),
                              "greater_than_equal");
    return v;
}

}  // namespace

void add_playqueue_routes(Router& router, RouteEnv& env) {
    auto queue = std::make_shared<services::PlayQueueService>(env.services);
    router.add("GET", "/api/playqueue", [queue](Context& ctx) { ctx.json(200, queue->get()); });
    router.add("DELETE", "/api/playqueue",
               [queue](Context& ctx) { ctx.json(200, queue->clear()); });
    router.add("POST", "/api/playqueue/tracks", [queue](Context& ctx) {
        Json body = object_body(ctx);
        ctx.json(200, queue->add(*int_field(body, "id", true)));
    });
    router.add("DELETE", "/api/playqueue/tracks/{track_id}",
               [queue](Context& ctx) { ctx.json(200, queue->remove(ctx.path_id("track_id"))); });
    router.add("POST", "/api/playqueue/tracks/move", [queue](Context& ctx) {
        Json body = object_body(ctx);
        int64_t track_id = *int_field(body, "track_id", true);
        ctx.json(200, queue->move(track_id, int_field(body, "new_position", false, 0)));
    });
}

}  // namespace sonique::server
