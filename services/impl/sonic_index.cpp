// SonicIndex: the track, artist and album sonic sets, and what is asked of them (nearest
// neighbours, paths). docs/analysis.md, "The sonic set".
#include "services/sonic_index.hpp"

#include <algorithm>
#include <unordered_set>

#include "analysis/features.hpp"
#include "core/config.hpp"
#include "search/vector_set.hpp"
#include "sonic_sources.hpp"

namespace sonique::services {
namespace {

std::unique_ptr<search::VectorSet> open_set(ServiceContext& ctx, SonicKey key, const char* name) {
    search::VectorSetOptions o;
    o.name = name;
    o.dimension = static_cast<int>(analysis::kFeatureCount);
    if (!ctx.config.index_dir.empty()) o.file = ctx.config.index_dir + "/" + name + ".faiss";
    o.exact_limit = static_cast<size_t>(ctx.config.vector_exact_limit);
    return std::make_unique<search::VectorSet>(std::move(o),
                                               sonic_source(ctx.background_pool(), key));
}

std::vector<SonicHit> hits_of(const std::vector<search::VectorHit>& hits, int64_t skip) {
    std::vector<SonicHit> out;
    out.reserve(hits.size());
    for (const auto& h : hits)
        if (h.id != skip) out.push_back({h.id, h.score});
    return out;
}

SonicSetStatus status_of(const search::VectorSet& set) {
    auto s = set.status();
    return {s.ready, s.building, s.size, s.rebuilds, s.catch_ups, s.last_problem};
}

}  // namespace

double normalised_similarity(double cosine) {
    return std::clamp((1.0 + cosine) / 2.0, 0.0, 1.0);
}

SonicIndex::SonicIndex(ServiceContext& ctx)
    : tracks_(open_set(ctx, SonicKey::kTrack, "sonic-tracks")),
      artists_(open_set(ctx, SonicKey::kArtist, "sonic-artists")),
      albums_(open_set(ctx, SonicKey::kAlbum, "sonic-albums")) {}

SonicIndex::~SonicIndex() = default;

std::optional<std::vector<float>> SonicIndex::track_vector(int64_t track) {
    return tracks_->vector_of(track);
}

std::optional<std::vector<SonicHit>> SonicIndex::nearest_tracks(std::span<const float> vector,
                                                                size_t k) {
    auto hits = tracks_->search(vector, k);
    if (!hits) return std::nullopt;
    return hits_of(*hits, -1);
}

std::optional<std::vector<SonicHit>> SonicIndex::similar(search::VectorSet& set, int64_t id,
                                                         size_t k) {
    auto v = set.vector_of(id);
    if (!v) return std::nullopt;
    auto hits = set.search(*v, k + 1);
    if (!hits) return std::nullopt;
    auto out = hits_of(*hits, id);
    if (out.size() > k) out.resize(k);
    return out;
}

std::optional<std::vector<SonicHit>> SonicIndex::similar_tracks(int64_t track, size_t k) {
    return similar(*tracks_, track, k);
}
std::optional<std::vector<SonicHit>> SonicIndex::similar_artists(int64_t artist, size_t k) {
    return similar(*artists_, artist, k);
}
std::optional<std::vector<SonicHit>> SonicIndex::similar_albums(int64_t album, size_t k) {
    return similar(*albums_, album, k);
}

std::optional<std::vector<int64_t>> SonicIndex::path(
    int64_t from, int64_t to, size_t count,
    const std::function<std::vector<int64_t>(const std::vector<int64_t>&)>& allowed) {
    auto a = tracks_->vector_of(from), b = tracks_->vector_of(to);
    if (!a || !b) return std::nullopt;
    if (from == to) return std::vector<int64_t>{from};
    count = std::max<size_t>(count, 2);
    // Candidates of every step first, so that the caller's scope is asked once.
    size_t steps = count - 2, k = steps + 10;
    std::vector<std::vector<search::VectorHit>> per_step;
    std::vector<int64_t> candidates;
    std::vector<float> q(a->size());
    for (size_t i = 1; i <= steps; ++i) {
        float t = static_cast<float>(i) / static_cast<float>(count - 1);
        for (size_t j = 0; j < q.size(); ++j)
            q[j] = (1 - t) * (*a)[j] + t * (*b)[j];
        auto hits = tracks_->search(q, k);
        if (!hits) return std::nullopt;
        for (const auto& h : *hits)
            candidates.push_back(h.id);
        per_step.push_back(std::move(*hits));
    }
    std::unordered_set<int64_t> ok;
    if (!candidates.empty()) {
        auto kept = allowed(candidates);
        ok.insert(kept.begin(), kept.end());
    }
    std::unordered_set<int64_t> used{from, to};
    std::vector<int64_t> out{from};
    for (const auto& hits : per_step) {
        for (const auto& h : hits) {
            if (!ok.count(h.id) || used.count(h.id)) continue;
            used.insert(h.id);
            out.push_back(h.id);
            break;
        }
    }
    out.push_back(to);
    return out;
}

void SonicIndex::refresh() {
    tracks_->check();
    artists_->check();
    albums_->check();
}

void SonicIndex::wait_idle() {
    tracks_->wait_idle();
    artists_->wait_idle();
    albums_->wait_idle();
}

SonicIndexStatus SonicIndex::status() const {
    return {status_of(*tracks_), status_of(*artists_), status_of(*albums_)};
}

}  // namespace sonique::services
