#pragma once
// Similar artists that Sonique computes itself (api-contract.md §13: `GET
// /api/artists/{id}/similar` returns them beside the stored ones, `source` naming how). Each
// way of computing is a provider; the route merges their rows with the artist_similar table's,
// one row per similar artist. docs/analysis.md (the "sonic" provider) and docs/search.md.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

struct SimilarArtist {
    int64_t id = 0;
    double weight = 0;  // 0..1, 1 the most similar
};

struct SimilarArtistProvider {
    std::string source;  // the rows' `source`: "sonic", "tags", ...
    // Up to `limit` artists similar to `artist`, best first, the artist itself left out; empty
    // when the provider knows nothing of it. Any thread; throws nothing but std::bad_alloc.
    std::function<std::vector<SimilarArtist>(int64_t artist, int64_t limit)> similar;
};

// Artists that sound alike: the cosine similarity of their sonic vectors (each the normalised
// mean of its tracks'), negatives dropped. Empty while the sonic set is not ready or when
// ctx.sonic is null.
SimilarArtistProvider sonic_similar_artists(ServiceContext& ctx);

// Every provider of this server, in the order their rows win ties. Any thread.
std::vector<SimilarArtistProvider> similar_artist_providers(ServiceContext& ctx);

}  // namespace sonique::services
