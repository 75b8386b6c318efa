// The sonic sets as a computed similarity source (services/similarity.hpp): artists that sound
// alike beside the tags' and the stored rows, and a track's neighbours by sound first.
#include "sonic_provider.hpp"

#include "services/similar_artists.hpp"
#include "services/sonic_index.hpp"

namespace sonique::services {
namespace {

class SonicProvider final : public SimilarityProvider {
  public:
    explicit SonicProvider(ServiceContext& ctx) : ctx_(ctx) {}

    std::string source() const override { return "sonic"; }
    // The most telling set: a track's own sound before its tags.
    int track_rank() const noexcept override { return 10; }

    std::optional<std::vector<SimilarHit>> artists(int64_t artist_id, size_t k) override {
        if (!ctx_.sonic) return std::nullopt;
        auto rows = sonic_similar_artists(ctx_).similar(artist_id, static_cast<int64_t>(k));
        if (rows.empty()) return std::nullopt;
        std::vector<SimilarHit> out;
        for (const auto& r : rows)
            if (r.weight > 0) out.push_back({r.id, r.weight});
        return out;
    }

    std::optional<std::vector<SimilarHit>> tracks(int64_t track_id, size_t k) override {
        if (!ctx_.sonic) return std::nullopt;
        auto hits = ctx_.sonic->similar_tracks(track_id, k);
        if (!hits) return std::nullopt;
        std::vector<SimilarHit> out;
        for (const auto& h : *hits)
            if (h.similarity > 0) out.push_back({h.id, h.similarity});
        return out;
    }

  private:
    ServiceContext& ctx_;
};

}  // namespace

std::shared_ptr<SimilarityProvider> make_sonic_provider(ServiceContext& ctx) {
    return std::make_shared<SonicProvider>(ctx);
}

}  // namespace sonique::services
