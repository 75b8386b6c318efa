#pragma once
// Route registration: one function per resource, each in its own routes_<resource>.cpp.
#include <functional>
#include <memory>

#include "server/router.hpp"
#include "services/context.hpp"

namespace sonique::services {
class Similarity;
class SearchService;
}  // namespace sonique::services

namespace sonique::server {

// Shared by long-lived responses (SSE) that must end when the server stops.
struct RouteEnv {
    services::ServiceContext& services;
    std::function<bool()> stopping;
    // The computed similarity sources shared by the search, artist, track and GraphQL routes
    // (made by register_routes when null).
    std::shared_ptr<services::Similarity> similarity;
    // Search, with its typeahead index (made by register_routes when null); told of every API
    // write so that the typeahead reads this process's writes.
    std::shared_ptr<services::SearchService> search;
};

void add_health_routes(Router& router, RouteEnv& env);
void add_docs_routes(Router& router, RouteEnv& env);
// Catalog (routes_{artists,albums,tracks,genres,tags,library}.cpp).
void add_artist_routes(Router& router, RouteEnv& env);
void add_album_routes(Router& router, RouteEnv& env);
void add_track_routes(Router& router, RouteEnv& env);
void add_genre_routes(Router& router, RouteEnv& env);
void add_tag_routes(Router& router, RouteEnv& env);
void add_library_routes(Router& router, RouteEnv& env);
void add_covers_routes(Router& router, RouteEnv& env);
void add_stream_routes(Router& router, RouteEnv& env);
void add_playqueue_routes(Router& router, RouteEnv& env);
void add_settings_routes(Router& router, RouteEnv& env);
// Scans, scan sessions, task status (routes_scan.cpp) and SSE events (routes_events.cpp).
void add_scan_routes(Router& router, RouteEnv& env);
void add_events_routes(Router& router, RouteEnv& env);
// GET /api/tracks/{id}/audio-analysis (routes_analysis.cpp).
void add_analysis_routes(Router& router, RouteEnv& env);
// Typeahead and faceted search (routes_search.cpp); track embeddings and vector search
// (routes_embeddings.cpp).
void add_search_routes(Router& router, RouteEnv& env);
void add_embedding_routes(Router& router, RouteEnv& env);
// POST /api/graphql and its query page (routes_graphql.cpp).
void add_graphql_routes(Router& router, RouteEnv& env);

// Every route of the API.
void register_routes(Router& router, RouteEnv& env);

// The OpenAPI document assembled from server/openapi/*.json.
const Json& openapi_document();

}  // namespace sonique::server
