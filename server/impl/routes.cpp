#include "server/routes.hpp"

#include "server/write_guard.hpp"
#include "services/search.hpp"
#include "services/similarity.hpp"

namespace sonique::server {

namespace {

// A write of the API may rename, add or remove artists, albums and tracks: the typeahead index
// checks the generation again before answering (read-your-writes). Reads that are POSTs and
// GraphQL (its mutations are caught by the index's periodic check) are left alone.
Handler names_may_change(const std::string& method, const std::string& path, Handler handler,
                         RouteEnv& env) {
    bool write = method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
    if (!write || path.rfind("/api/search", 0) == 0 || path == "/api/graphql" ||
        path.find("embeddings") != std::string::npos)
        return handler;
    return [search = env.search, handler = std::move(handler)](Context& ctx) {
        try {
            handler(ctx);
        } catch (...) {
            search->names_may_have_changed();
            throw;
        }
        search->names_may_have_changed();
    };
}

}  // namespace

void register_routes(Router& router, RouteEnv& env) {
    // Registered first on their own, then copied with the write guard in front of the writes
    // (a no-op unless SONIQUE_API_WRITE_KEY_REQUIRED is on).
    if (!env.similarity) env.similarity = std::make_shared<services::Similarity>(env.services);
    if (!env.search)
        env.search = std::make_shared<services::SearchService>(env.services, env.similarity);
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
        router.add(
            r.method, r.path,
            guard.wrap(r.method, r.path, names_may_change(r.method, r.path, r.handler, env)));
}

}  // namespace sonique::server
