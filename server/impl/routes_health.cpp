#include "core/error.hpp"
#include "server/routes.hpp"
#include "services/health.hpp"

namespace sonique::server {

void add_health_routes(Router& router, RouteEnv& env) {
    auto health = std::make_shared<services::HealthService>(env.services);
    router.add("GET", "/api/healthcheck", [health](Context& ctx) {
        try {
            ctx.answer(health->check());
        } catch (const Error& e) {
            if (e.code() != ErrorCode::kUnavailable) throw;
            ctx.json(503,
                     Json{{"status", "unhealthy"}, {"database", "down"}, {"detail", e.detail()}});
            ctx.res.set_header("Retry-After", "1");
        }
    });
}

}  // namespace sonique::server
