#include "spectral_features.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "analysis/analyse.hpp"

namespace sonique::analysis {
namespace {

constexpr double kBinHz = static_cast<double>(kAnalysisRate) / kFrameSize;
constexpr double kRollOffShare = 0.85;
// Octave bands of the spectral contrast, in Hz (the last one runs to Nyquist).
constexpr std::array<double, kContrastBands + 1> kContrastEdges{0,    200,  400,  800,
                                                                1600, 3200, 11025};
// Share of a band's bins averaged for its peak and for its valley.
constexpr double kContrastQuantile = 0.2;

// log2 of a positive normal float, to about 1e-6: the exponent plus the series
// log2(m) = 2/ln 2 * (t + t^3/3 + t^5/5 + t^7/7), t = (m - 1)/(m + 1), for the mantissa m in
// [1, 2). No branch and no call, so a loop over the bins vectorises where std::log did not
// (a log per bin per frame was a twentieth of the analysis).
inline float fast_log2(float x) noexcept {
    auto bits = std::bit_cast<uint32_t>(x);
    auto exponent = static_cast<float>(static_cast<int>(bits >> 23) - 127);
    float m = std::bit_cast<float>((bits & 0x007fffffu) | 0x3f800000u);
    float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    float series = t * (1.0f + t2 * (1.0f / 3 + t2 * (1.0f / 5 + t2 * (1.0f / 7))));
    return exponent + 2.0f * std::numbers::log2e_v<float> * series;
}

// The sum of term(k) over the bins in 16 float lanes, which GCC vectorises: one double
// accumulator is one long chain of dependent additions (the spectral shape was a tenth of the
// analysis). Accurate to about 1e-6 of the sum over 1,025 bins.
template <typename Term>
double lane_sum(Term term) {
    constexpr size_t kLanes = 16;
    std::array<float, kLanes> lanes{};
    size_t k = 0;
    for (; k + kLanes <= kBins; k += kLanes)
        for (size_t j = 0; j < kLanes; ++j)
            lanes[j] += term(k + j);
    double sum = 0;
    for (; k < kBins; ++k)
        sum += term(k);
    for (float lane : lanes)
        sum += lane;
    return sum;
}

}  // namespace

SpectralFeatures::SpectralFeatures()
    : dct_(kMfccCount * kMelBands), magnitude_(kBins), prev_magnitude_(kBins), log2_power_(kBins) {
    // Orthonormal DCT-II, so that MFCC 0 is the mean band level and the others its shape.
    for (size_t k = 0; k < kMfccCount; ++k) {
        double scale = std::sqrt((k == 0 ? 1.0 : 2.0) / kMelBands);
        for (size_t n = 0; n < kMelBands; ++n)
            dct_[k * kMelBands + n] =
                static_cast<float>(scale * std::cos(std::numbers::pi * k * (n + 0.5) / kMelBands));
    }
}

void SpectralFeatures::add(const float* power, const std::array<float, kMelBands>& mel_db) {
    double total = 0;
    for (size_t k = 0; k < kBins; ++k)
        total += power[k];
    if (total < kSilentFramePower) return;
    for (size_t k = 0; k < kMfccCount; ++k) {
        float c = 0;
        for (size_t n = 0; n < kMelBands; ++n)
            c += dct_[k * kMelBands + n] * mel_db[n];
        mfcc_[k].add(c);
    }
    add_shape(power);
    // The contrast is kept as its mean only: every other analysed frame (a 46 ms hop, about
    // 1,300 frames a minute) gives the same mean, and its partial sorts were the largest cost.
    if (contrast_turn_++ % 2 == 0) add_contrast(power);
}

void SpectralFeatures::add_shape(const float* power) {
    const float bin_hz = static_cast<float>(kBinHz);
    for (size_t k = 0; k < kBins; ++k) {
        magnitude_[k] = std::sqrt(power[k]);
        log2_power_[k] = fast_log2(power[k] + 1e-10f);  // always a positive normal float
    }
    const float* m = magnitude_.data();
    double mag_sum = lane_sum([&](size_t k) { return m[k]; });
    double power_sum = lane_sum([&](size_t k) { return power[k]; });
    double log2_sum = lane_sum([&](size_t k) { return log2_power_[k]; });
    double weighted = lane_sum([&](size_t k) { return m[k] * (static_cast<float>(k) * bin_hz); });
    const auto centroid = static_cast<float>(weighted / mag_sum);
    double spread = lane_sum([&](size_t k) {
        float d = static_cast<float>(k) * bin_hz - centroid;
        return d * d * m[k];
    });
    // Accumulated in the same order as before the lanes: the first bin to reach the share.
    double rolloff = 0, cumulative = 0;
    for (size_t k = 0; k < kBins; ++k) {
        cumulative += m[k];
        if (cumulative >= kRollOffShare * mag_sum) {
            rolloff = static_cast<double>(k) * kBinHz;
            break;
        }
    }
    const auto scale = static_cast<float>(1.0 / mag_sum);
    for (size_t k = 0; k < kBins; ++k)
        magnitude_[k] *= scale;
    double flatness = std::exp2(log2_sum / kBins) / (power_sum / kBins + 1e-10);
    shape_[0].add(centroid);
    shape_[1].add(std::sqrt(spread / mag_sum));
    shape_[2].add(rolloff);
    shape_[3].add(flatness);
    if (has_prev_) {  // how much of the (normalised) spectrum is new in this frame
        const float* prev = prev_magnitude_.data();
        shape_[4].add(lane_sum([&](size_t k) { return std::max(0.0f, m[k] - prev[k]); }));
    }
    std::swap(magnitude_, prev_magnitude_);
    has_prev_ = true;
}

void SpectralFeatures::add_contrast(const float* power) {
    for (size_t b = 0; b < kContrastBands; ++b) {
        auto lo = static_cast<size_t>(kContrastEdges[b] / kBinHz);
        auto hi = std::min(kBins, static_cast<size_t>(kContrastEdges[b + 1] / kBinHz) + 1);
        scratch_.assign(power + lo, power + hi);
        auto q = std::max<size_t>(1, static_cast<size_t>(scratch_.size() * kContrastQuantile));
        std::nth_element(scratch_.begin(), scratch_.begin() + q, scratch_.end());
        double valley = 0;
        for (size_t i = 0; i < q; ++i)
            valley += scratch_[i];
        // The q largest lie above the q smallest: only that part needs partitioning again.
        auto upper = scratch_.size() >= 2 * q ? scratch_.begin() + static_cast<std::ptrdiff_t>(q)
                                              : scratch_.begin();
        std::nth_element(upper, scratch_.end() - static_cast<std::ptrdiff_t>(q), scratch_.end());
        double peak = 0;
        for (size_t i = scratch_.size() - q; i < scratch_.size(); ++i)
            peak += scratch_[i];
        contrast_[b].add(10.0 * std::log10((peak + 1e-10) / (valley + 1e-10)));
    }
}

void SpectralFeatures::write(FeatureVector& out) const {
    for (size_t k = 0; k < kMfccCount; ++k) {
        out[kTimbre.offset + k] = static_cast<float>(mfcc_[k].mean());
        out[kTimbre.offset + kMfccCount + k] = static_cast<float>(mfcc_[k].stddev());
    }
    for (size_t i = 0; i < shape_.size(); ++i) {
        out[kSpectral.offset + 2 * i] = static_cast<float>(shape_[i].mean());
        out[kSpectral.offset + 2 * i + 1] = static_cast<float>(shape_[i].stddev());
    }
    for (size_t b = 0; b < kContrastBands; ++b)
        out[kSpectral.offset + 10 + b] = static_cast<float>(contrast_[b].mean());
}

}  // namespace sonique::analysis
