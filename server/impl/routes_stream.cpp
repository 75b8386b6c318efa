// GET|HEAD /api/tracks/{id}/stream (api-contract.md §6): the audio file with ranges and validators
// (server/audio_response.hpp).
#include "server/audio_response.hpp"
#include "server/routes.hpp"
#include "services/stream.hpp"

namespace sonique::server {
namespace {

void stream(Context& ctx, services::StreamService& service) {
    auto ranges = take_ranges(ctx.req);  // first: even error bodies must not be sliced
    auto audio = service.open(ctx.path_id("id"));
    send_audio(ctx.req, ctx.res, audio, std::move(ranges));
}

}  // namespace

void add_stream_routes(Router& router, RouteEnv& env) {
    auto service = std::make_shared<services::StreamService>(env.services);
    router.add("GET", "/api/tracks/{id}/stream",
               [service](Context& ctx) { stream(ctx, *service); });
}

}  // namespace sonique::server
