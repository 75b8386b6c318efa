#include "server/routes.hpp"

#include "server/write_guard.hpp"
#include "services/similarity.hpp"

namespace sonique::server {

void register_routes(Router& router, RouteEnv& env) {
    // Registered first on their own, then copied with the write guard in front of the writes
    // (a no-op unless SONIQUE_API_WRITE_KEY_REQUIRED is on).
    if (!env.similarity) env.similarity = std::make_shared<services::Similarity>(env.services);
    Router plain;
    add_health_routes(plain, env);
    add_docs_routes(plain, env);
    add_scan_routes(plain, env);
    add_events_routes(plain, env);
    add_artist_routes(plain, env);
    add_album_routes(plain, env);
    add_track_routes(plain, env);
    add_genre_routes(plain, env);
    add_tag_routes(plain, env);
    add_library_routes(plain, env);
    add_covers_routes(plain, env);
    add_stream_routes(plain, env);
    add_playqueue_routes(plain, env);
    add_settings_routes(plain, env);
    add_search_routes(plain, env);
    add_embedding_routes(plain, env);
    add_graphql_routes(plain, env);
    add_analysis_routes(plain, env);
    WriteGuard guard(env.services);
    for (const Route& r : plain.routes())
        router.add(r.method, r.path, guard.wrap(r.method, r.path, r.handler));
}

}  // namespace sonique::server
