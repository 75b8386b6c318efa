#pragma once
// Loudness and dynamics: integrated loudness (LUFS) and loudness range (LU) with libebur128 on
// the file's own channels (a mono downmix would change the loudness) at kAnalysisRate, and true
// peak (dBTP, true_peak.hpp: libebur128's own is three times the cost of the rest of the meter)
// at the file's own rate. kAnalysisRate keeps everything up to 11 kHz, where music's K-weighted
// power lies (the sine test agrees with FFmpeg's meter at 48 kHz), for half the filtering of
// 44.1 kHz: the meter was a fifth of the analysis. One thread.
#include <ebur128.h>

#include <cstddef>
#include <memory>

#include "analysis/features.hpp"
#include "true_peak.hpp"

namespace sonique::analysis {

struct Ebur128Deleter {
    void operator()(ebur128_state* p) const noexcept { ebur128_destroy(&p); }
};
using Ebur128Ptr = std::unique_ptr<ebur128_state, Ebur128Deleter>;

class LoudnessMeter {
  public:
    // Audio at kAnalysisRate. The meter is created by the first block, whose channels it keeps.
    // Throws AnalysisError when libebur128 refuses them.
    void add(const float* interleaved, size_t frames, int channels);
    // The same audio at the file's own rate, for the true peak.
    void add_native(const float* interleaved, size_t frames, int channels, int rate) {
        peak_.add(interleaved, frames, channels, rate);
    }
    // Writes the loudness group; silence gets kLoudnessFloor.
    void write(FeatureVector& out) const;

  private:
    Ebur128Ptr state_;
    TruePeakMeter peak_;
};

}  // namespace sonique::analysis
