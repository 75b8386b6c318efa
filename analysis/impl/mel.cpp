#include "mel.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/analyse.hpp"

namespace sonique::analysis {
namespace {

double hz_to_mel(double hz) {
    return 2595.0 * std::log10(1.0 + hz / 700.0);
}
double mel_to_hz(double mel) {
    return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
}

}  // namespace

MelBank::MelBank() {
    const double nyquist = kAnalysisRate / 2.0;
    const double bin_hz = static_cast<double>(kAnalysisRate) / kFrameSize;
    std::array<double, kMelBands + 2> edges{};
    for (size_t i = 0; i < edges.size(); ++i)
        edges[i] = mel_to_hz(hz_to_mel(nyquist) * static_cast<double>(i) / (kMelBands + 1));
    for (size_t b = 0; b < kMelBands; ++b) {
        double lo = edges[b], mid = edges[b + 1], hi = edges[b + 2];
        for (size_t k = 0; k < kBins; ++k) {
            double f = static_cast<double>(k) * bin_hz;
            double w = 0;
            if (f > lo && f <= mid)
                w = (f - lo) / (mid - lo);
            else if (f > mid && f < hi)
                w = (hi - f) / (hi - mid);
            if (w > 0) filters_[b].push_back({k, static_cast<float>(w)});
        }
    }
}

void MelBank::apply(const float* power, std::array<float, kMelBands>& out_db) const {
    for (size_t b = 0; b < kMelBands; ++b) {
        float e = 0;
        for (const auto& [bin, w] : filters_[b])
            e += power[bin] * w;
        out_db[b] = std::max(10.0f * std::log10(e + 1e-10f), -100.0f);
    }
}

}  // namespace sonique::analysis
