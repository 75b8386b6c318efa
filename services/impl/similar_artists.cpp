// The providers of computed similar artists (similar_artists.hpp).
#include "services/similar_artists.hpp"

#include "services/sonic_index.hpp"

namespace sonique::services {

SimilarArtistProvider sonic_similar_artists(ServiceContext& ctx) {
    SonicIndex* sonic = ctx.sonic;
    return {"sonic", [sonic](int64_t artist, int64_t limit) {
                std::vector<SimilarArtist> out;
                if (!sonic || limit <= 0) return out;
                auto hits = sonic->similar_artists(artist, static_cast<size_t>(limit));
                if (!hits) return out;
                for (const auto& h : *hits)
                    if (h.similarity > 0) out.push_back({h.id, h.similarity});
                return out;
            }};
}

std::vector<SimilarArtistProvider> similar_artist_providers(ServiceContext& ctx) {
    // The lead merges the tags provider (branch search-tags) into this list.
    return {sonic_similar_artists(ctx)};
}

}  // namespace sonique::services
