// The sonic analysis's results (docs/analysis.md): an extension of the REST API (docs/api.md).
#include "server/routes.hpp"
#include "services/analysis.hpp"
#include "services/tracks.hpp"

namespace sonique::server {

void add_analysis_routes(Router& router, RouteEnv& env) {
    auto svc = std::make_shared<services::AnalysisService>(env.services);
    router.add("GET", "/api/tracks/{id}/audio-analysis", [svc](Context& ctx) {
        ctx.answer(svc->track_analysis(ctx.path_id("id", services::kTrackNotFound)));
    });
    router.add("GET", "/api/analysis/status", [svc](Context& ctx) { ctx.answer(svc->status()); });
}

}  // namespace sonique::server
