#include "loudness.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/analyse.hpp"

namespace sonique::analysis {
namespace {

float floored(double value) {
    return std::isfinite(value) ? std::max(static_cast<float>(value), kLoudnessFloor)
                                : kLoudnessFloor;
}

}  // namespace

void LoudnessMeter::add(const float* interleaved, size_t frames, int channels) {
    if (!state_) {
        state_.reset(ebur128_init(static_cast<unsigned>(channels), kAnalysisRate,
                                  EBUR128_MODE_I | EBUR128_MODE_LRA));
        if (!state_) throw AnalysisError("loudness meter refused the audio format");
    }
    if (ebur128_add_frames_float(state_.get(), interleaved, frames) != EBUR128_SUCCESS)
        throw AnalysisError("loudness meter failed");
}

void LoudnessMeter::write(FeatureVector& out) const {
    out[kIntegratedLoudnessIndex] = kLoudnessFloor;
    out[kLoudnessRangeIndex] = 0;
    out[kTruePeakIndex] = kLoudnessFloor;
    if (!state_) return;
    double lufs = -HUGE_VAL, range = 0, peak = peak_.peak();
    ebur128_loudness_global(state_.get(), &lufs);
    ebur128_loudness_range(state_.get(), &range);
    out[kIntegratedLoudnessIndex] = floored(lufs);
    out[kLoudnessRangeIndex] = std::isfinite(range) ? static_cast<float>(range) : 0.0f;
    out[kTruePeakIndex] = floored(peak > 0 ? 20.0 * std::log10(peak) : -HUGE_VAL);
}

}  // namespace sonique::analysis
