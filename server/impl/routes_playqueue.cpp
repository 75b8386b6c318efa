// /api/playqueue (api-contract.md §11).
#include "core/error.hpp"
#include "input.hpp"
#include "server/routes.hpp"
#include "services/playqueue.hpp"

namespace sonique::server {
namespace {

// Integer fields are read as every other body reads them (Fields: "5" and 5.0 are 5, every
// problem of a body reported together in one 422).
int64_t track_to_add(const Json& body) {
    Fields f(body, {"body"});
    auto id = f.integer("id", true);
    f.check();
    return *id;
}

struct Move {
    int64_t track_id = 0;
    std::optional<int64_t> new_position;  // missing: the service's 400
};

Move move_input(const Json& body) {
    Fields f(body, {"body"});
    Move m;
    auto track_id = f.integer("track_id", true);
    m.new_position = f.integer("new_position");
    if (m.new_position && *m.new_position < 0)
        f.add_issue("new_position", "Input should be greater than or equal to 0",
                    "greater_than_equal");
    f.check();
    m.track_id = *track_id;
    return m;
}

}  // namespace

void add_playqueue_routes(Router& router, RouteEnv& env) {
    auto queue = std::make_shared<services::PlayQueueService>(env.services);
    router.add("GET", "/api/playqueue", [queue](Context& ctx) { ctx.answer(queue->get()); });
    router.add("DELETE", "/api/playqueue", [queue](Context& ctx) { ctx.answer(queue->clear()); });
    router.add("POST", "/api/playqueue/tracks",
               [queue](Context& ctx) { ctx.answer(queue->add(track_to_add(object_body(ctx)))); });
    // A track that is not queued (any id, even one no track can have) is no error.
    router.add("DELETE", "/api/playqueue/tracks/{track_id}",
               [queue](Context& ctx) { ctx.answer(queue->remove(ctx.path_id("track_id"))); });
    router.add("POST", "/api/playqueue/tracks/move", [queue](Context& ctx) {
        Move m = move_input(object_body(ctx));
        ctx.answer(queue->move(m.track_id, m.new_position));
    });
}

}  // namespace sonique::server
