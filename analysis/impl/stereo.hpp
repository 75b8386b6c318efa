#pragma once
// Stereo width: how much of the power is in the difference of the two channels (side) rather
// than their sum (mid). A production trait rather than a musical one: a close, dry mix, a wide
// orchestral hall and a synthesiser panned hard left and right differ here while their mono
// spectra may agree, and the tracks of one album or soundtrack usually share a mix. Read from
// the first two channels of the audio at kAnalysisRate (a mono file has width 0); a few
// operations per sample, constant memory. One thread.
#include <cstddef>

#include "analysis/features.hpp"

namespace sonique::analysis {

class StereoWidth {
  public:
    void add(const float* interleaved, size_t frames, int channels);
    // Writes the stereo group: side / (mid + side) power over the whole audio, and the standard
    // deviation of the same ratio over 1 s blocks that are not silent (0 with fewer than two).
    void write(FeatureVector& out) const;

  private:
    void close_block();

    double mid_ = 0, side_ = 0;              // whole audio
    double block_mid_ = 0, block_side_ = 0;  // the current block
    size_t block_frames_ = 0;
    size_t blocks_ = 0;  // Welford over the blocks' widths
    double block_mean_ = 0, block_m2_ = 0;
};

}  // namespace sonique::analysis
