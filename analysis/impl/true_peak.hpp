#pragma once
// True peak (ITU-R BS.1770 Annex 2): the largest magnitude of the signal between its samples,
// found by oversampling each channel (4x under 96 kHz, 2x under 192 kHz, none above) with a
// windowed-sinc interpolator. libebur128 measures the same but spends three times as long as
// all of its loudness measurement on it (scalar doubles); this one runs in float over blocks of
// samples, which the compiler vectorises. One thread.
#include <cstddef>
#include <vector>

namespace sonique::analysis {

class TruePeakMeter {
  public:
    // The first block sets the channels and rate kept for the rest.
    void add(const float* interleaved, size_t frames, int channels, int rate);
    // The largest magnitude seen (linear; 1.0 is full scale), 0 before any audio.
    double peak() const { return peak_; }

  private:
    void setup(int channels, int rate);

    int channels_ = 0;
    size_t factor_ = 1;
    size_t phase_taps_ = 1;
    std::vector<float> taps_;  // factor_ phases of phase_taps_ taps
    float gain_ = 1;           // the largest sum of a phase's |taps|: outputs <= gain_ * inputs
    std::vector<std::vector<float>> history_;  // per channel: the last phase_taps_ - 1 samples
    std::vector<float> buffer_;                // history then the block, one channel
    std::vector<float> acc_;
    double peak_ = 0;
};

}  // namespace sonique::analysis
