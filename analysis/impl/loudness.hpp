#pragma once
// Loudness and dynamics with libebur128, on the file's own channels and rate (a mono downmix at
// a lower rate would change both the loudness and the peaks): integrated loudness (LUFS),
// loudness range (LU) and true peak (dBTP, true_peak.hpp: libebur128's own is three times the
// cost of the rest of the meter). One thread.
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
    // The meter is created by the first block, whose channels and rate it keeps. Throws
    // AnalysisError when libebur128 refuses them.
    void add(const float* interleaved, size_t frames, int channels, int rate);
    // Writes the loudness group; silence gets kLoudnessFloor.
    void write(FeatureVector& out) const;

  private:
    Ebur128Ptr state_;
    TruePeakMeter peak_;
};

}  // namespace sonique::analysis
