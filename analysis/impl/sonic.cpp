#include "analysis/sonic.hpp"

#include <cmath>

namespace sonique::analysis {

LibraryStats library_stats(const std::vector<FeatureVector>& vectors) {
    LibraryStats stats;
    stats.stddev.fill(1.0f);
    if (vectors.empty()) return stats;
    const auto n = static_cast<double>(vectors.size());
    for (size_t i = 0; i < kFeatureCount; ++i) {
        double sum = 0, sq = 0;
        for (const auto& v : vectors)
            sum += v[i];
        double mean = sum / n;
        for (const auto& v : vectors)
            sq += (v[i] - mean) * (v[i] - mean);
        double sd = std::sqrt(sq / n);
        stats.mean[i] = static_cast<float>(mean);
        stats.stddev[i] = sd > 1e-9 ? static_cast<float>(sd) : 1.0f;
    }
    return stats;
}

namespace {

bool in_sonic_vector(size_t i) {
    return i != kKeyIndex && i != kTempoIndex;
}

}  // namespace

FeatureVector sonic_vector(const FeatureVector& features, const LibraryStats& stats,
                           const GroupWeights& weights) {
    FeatureVector out{};
    for (size_t g = 0; g < kGroups.size(); ++g) {
        const FeatureGroup& group = kGroups[g];
        size_t values = 0;  // what the group holds in the vector
        for (size_t i = group.offset; i < group.offset + group.size; ++i)
            values += in_sonic_vector(i) ? 1 : 0;
        float scale = weights[g] / std::sqrt(static_cast<float>(values));
        for (size_t i = group.offset; i < group.offset + group.size; ++i) {
            float sd = stats.stddev[i] > 0 ? stats.stddev[i] : 1.0f;
            out[i] = in_sonic_vector(i) ? scale * (features[i] - stats.mean[i]) / sd : 0.0f;
        }
    }
    return out;
}

float sonic_distance(const FeatureVector& a, const FeatureVector& b) {
    float sum = 0;
    for (size_t i = 0; i < kFeatureCount; ++i)
        sum += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(sum);
}

}  // namespace sonique::analysis
