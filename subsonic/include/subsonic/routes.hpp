#pragma once
// The OpenSubsonic API (docs/subsonic.md): /rest/<method> and /rest/<method>.view, GET and POST
// with a form body, answered in XML, JSON or JSONP.
#include "server/router.hpp"
#include "server/routes.hpp"

namespace sonique::subsonic {

// Registers GET and POST /rest/{method}. Not thread-safe: call before serving.
void add_subsonic_routes(server::Router& router, server::RouteEnv& env);

}  // namespace sonique::subsonic
