#include "server/routes.hpp"

namespace sonique::server {

void register_routes(Router& router, RouteEnv& env) {
    add_health_routes(router, env);
    add_docs_routes(router, env);
    add_scan_routes(router, env);
    add_events_routes(router, env);
    add_artist_routes(router, env);
    add_album_routes(router, env);
    add_track_routes(router, env);
    add_genre_routes(router, env);
    add_tag_routes(router, env);
    add_library_routes(router, env);
    add_covers_routes(router, env);
    add_stream_routes(router, env);
    add_playqueue_routes(router, env);
    add_settings_routes(router, env);
    add_search_routes(router, env);
    add_embedding_routes(router, env);
    add_graphql_routes(router, env);
}

}  // namespace sonique::server
