#pragma once
// The library's GraphQL API (issue 5): the schema of artists, albums, tracks, covers, genres
// and tags over the graphql/ engine, with batched SQL so that the frontend's artist page
// (artist -> albums -> tracks) takes three SQL round trips whatever its size.
#include <memory>
#include <string>

#include "core/json_text.hpp"
#include "graphql/cache_key.hpp"
#include "graphql/execute.hpp"
#include "services/context.hpp"

namespace sonique::services {

namespace gql {
class OneStatements;
}
class Similarity;

// What one request cost, for tests and benchmarks.
struct GraphqlStats {
    int round_trips = 0;  // SQL round trips (a pipeline counts once)
};

class GraphqlService {
  public:
    // similarity (may be null): the computed rows of Artist.similarArtists.
    explicit GraphqlService(ServiceContext& ctx, std::shared_ptr<Similarity> similarity = nullptr);
    ~GraphqlService();

    // Executes a request and returns the serialised GraphQL response ({"data"}/{"errors"}).
    // Client mistakes and database failures are errors inside the response; nothing is thrown
    // but std::bad_alloc. Uses at most one pooled connection at a time. Any thread.
    JsonText execute(const graphql::Request& request, GraphqlStats* stats = nullptr);

    // As execute(), but a cacheable query (graphql/cache_key.hpp: a query, no introspection,
    // within the limits) is answered from the cache when nothing changed since it was stored
    // (graphql_cache.cpp). Only answers without errors are stored. Same throws and threads.
    struct Answer {
        JsonText body;
        bool cacheable = false;  // a query answer that may carry an ETag
    };
    Answer answer(const graphql::Request& request);

    const graphql::Engine& engine() const noexcept { return engine_; }

  private:
    ServiceContext& ctx_;
    std::shared_ptr<Similarity> similarity_;
    graphql::Engine engine_;
    graphql::CacheKeys keys_{engine_};
    std::unique_ptr<gql::OneStatements> one_;  // whole answers in one SQL statement
};

// The schema on its own (for documentation and tests). Resolvers expect the request context
// that GraphqlService passes.
std::shared_ptr<const graphql::Schema> make_library_schema();

}  // namespace sonique::services
