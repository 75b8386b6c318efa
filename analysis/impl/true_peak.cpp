#include "true_peak.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonique::analysis {
namespace {

// Interpolator length: 12 taps per phase at 4x (48 in all, as in BS.1770's example filter).
constexpr size_t kTapsPerPhase = 12;
// Outputs computed per pass over the taps: long enough to vectorise, short enough for L1.
constexpr size_t kChunk = 256;

}  // namespace

void TruePeakMeter::setup(int channels, int rate) {
    channels_ = channels;
    factor_ = rate < 96000 ? 4 : rate < 192000 ? 2 : 1;
    phase_taps_ = factor_ == 1 ? 1 : kTapsPerPhase;
    // Windowed sinc (Hann), cut-off at the original Nyquist: phase p, tap k is the filter's
    // value at k * factor + p, so that phase 0 passes the samples themselves through.
    size_t length = factor_ * phase_taps_;
    double centre = static_cast<double>(length / 2);
    taps_.assign(length, 0.0f);
    for (size_t p = 0; p < factor_; ++p) {
        for (size_t k = 0; k < phase_taps_; ++k) {
            double j = static_cast<double>(k * factor_ + p);
            double x = (j - centre) / static_cast<double>(factor_);
            double sinc = x == 0 ? 1.0 : std::sin(std::numbers::pi * x) / (std::numbers::pi * x);
            double window = 0.5 + 0.5 * std::cos(std::numbers::pi * (j - centre) / (centre + 1));
            taps_[p * phase_taps_ + k] = static_cast<float>(factor_ == 1 ? 1.0 : sinc * window);
        }
    }
    gain_ = 0;
    for (size_t p = 0; p < factor_; ++p) {
        float sum = 0;
        for (size_t k = 0; k < phase_taps_; ++k)
            sum += std::fabs(taps_[p * phase_taps_ + k]);
        gain_ = std::max(gain_, sum * 1.0001f);  // rounding in the sums below
    }
    history_.assign(static_cast<size_t>(channels), std::vector<float>(phase_taps_ - 1, 0.0f));
    acc_.resize(kChunk);
}

void TruePeakMeter::add(const float* interleaved, size_t frames, int channels, int rate) {
    if (channels_ == 0) setup(channels, rate);
    if (frames == 0) return;
    const size_t n_ch = static_cast<size_t>(channels_);
    const size_t keep = phase_taps_ - 1;
    float best = static_cast<float>(peak_);
    for (size_t c = 0; c < n_ch; ++c) {
        auto& hist = history_[c];
        buffer_.resize(keep + frames);
        std::copy(hist.begin(), hist.end(), buffer_.begin());
        for (size_t i = 0; i < frames; ++i)
            buffer_[keep + i] = interleaved[i * n_ch + c];
        // Output n of phase p: sum over k of taps[p][k] * x[n - k], where x[n] is
        // buffer_[keep + n]; taps run backwards in time.
        for (size_t start = 0; start < frames; start += kChunk) {
            size_t count = std::min(kChunk, frames - start);
            // No output of this chunk can exceed gain_ times the largest sample it reads: a
            // chunk under the peak found so far is skipped (most of them, once a loud passage
            // has been seen), which leaves the result exactly as it was.
            float loudest = 0;
            for (size_t i = start; i < start + count + keep; ++i)
                loudest = std::max(loudest, std::fabs(buffer_[i]));
            if (loudest * gain_ <= best) continue;
            for (size_t p = 0; p < factor_; ++p) {
                const float* h = taps_.data() + p * phase_taps_;
                std::fill(acc_.begin(), acc_.begin() + static_cast<std::ptrdiff_t>(count), 0.0f);
                for (size_t k = 0; k < phase_taps_; ++k) {
                    const float* x = buffer_.data() + keep + start - k;
                    float hk = h[k];
                    for (size_t n = 0; n < count; ++n)
                        acc_[n] += hk * x[n];
                }
                for (size_t n = 0; n < count; ++n)
                    best = std::max(best, std::fabs(acc_[n]));
            }
        }
        std::copy(buffer_.end() - static_cast<std::ptrdiff_t>(keep), buffer_.end(), hist.begin());
    }
    peak_ = best;
}

}  // namespace sonique::analysis
