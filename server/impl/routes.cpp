#include "server/routes.hpp"

namespace sonique::server {

void register_routes(Router& router, RouteEnv& env) {
    add_health_routes(router, env);
    add_docs_routes(router, env);
}

}  // namespace sonique::server
