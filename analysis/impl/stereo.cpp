#include "stereo.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/analyse.hpp"

namespace sonique::analysis {
namespace {

constexpr size_t kBlockFrames = kAnalysisRate;  // 1 s
// A block whose mean (mid + side) power is under this (about 80 dB under a full-scale sine)
// is silence: its width is the noise floor's, not the mix's.
constexpr double kSilentBlockPower = 1e-9;
// A side 60 dB or more under the whole is no mix decision but rounding: a lossy codec leaves
// that much in a file whose channels were identical (Opus: about 1e-7 of the power). It counts
// as mono, else a library of mono files would standardise that noise into a difference.
constexpr double kSideFloor = 1e-6;

double width_of(double mid, double side) {
    double ratio = mid + side > 0 ? side / (mid + side) : 0.0;
    return ratio < kSideFloor ? 0.0 : ratio;
}

}  // namespace

void StereoWidth::add(const float* interleaved, size_t frames, int channels) {
    if (channels < 2) return;
    const auto n = static_cast<size_t>(channels);
    size_t i = 0;
    while (i < frames) {
        size_t end = std::min(frames, i + (kBlockFrames - block_frames_));
        float mid = 0, side = 0;  // float sums over at most one block, added to doubles
        for (size_t j = i; j < end; ++j) {
            float l = interleaved[j * n], r = interleaved[j * n + 1];
            float m = l + r, s = l - r;  // twice mid and side: the ratio does not mind
            mid += m * m;
            side += s * s;
        }
        block_mid_ += mid;
        block_side_ += side;
        block_frames_ += end - i;
        i = end;
        if (block_frames_ == kBlockFrames) close_block();
    }
}

void StereoWidth::close_block() {
    mid_ += block_mid_;
    side_ += block_side_;
    double total = block_mid_ + block_side_;
    // (m^2 + s^2) of twice mid and side is 2 (l^2 + r^2): the mean power of a channel is a
    // quarter of total per frame.
    if (total / 4 / static_cast<double>(block_frames_) > kSilentBlockPower) {
        double width = width_of(block_mid_, block_side_);
        ++blocks_;
        double delta = width - block_mean_;
        block_mean_ += delta / static_cast<double>(blocks_);
        block_m2_ += delta * (width - block_mean_);
    }
    block_mid_ = block_side_ = 0;
    block_frames_ = 0;
}

void StereoWidth::write(FeatureVector& out) const {
    // The last, partial block counts for the whole-audio ratio but not as a block.
    double mid = mid_ + block_mid_, side = side_ + block_side_;
    out[kStereoWidthIndex] = static_cast<float>(width_of(mid, side));
    out[kStereoWidthStdIndex] =
        blocks_ > 1 ? static_cast<float>(std::sqrt(block_m2_ / static_cast<double>(blocks_)))
                    : 0.0f;
}

}  // namespace sonique::analysis
