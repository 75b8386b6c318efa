#pragma once
// Timbre (MFCC statistics) and spectral shape (centroid, bandwidth, roll-off, flatness, flux,
// contrast) over the frames of a track, in constant memory. Silent frames are left out: a
// track's silence says nothing about its timbre. One thread.
#include <array>
#include <vector>

#include "analysis/features.hpp"
#include "mel.hpp"
#include "running_stats.hpp"

namespace sonique::analysis {

class SpectralFeatures {
  public:
    SpectralFeatures();
    // power: kBins values; mel_db: the frame's mel bands.
    void add(const float* power, const std::array<float, kMelBands>& mel_db);
    // Writes the timbre and spectral groups.
    void write(FeatureVector& out) const;

  private:
    void add_shape(const float* power);
    void add_contrast(const float* power);

    std::array<RunningStats, kMfccCount> mfcc_;
    std::array<RunningStats, 5> shape_;  // centroid, bandwidth, roll-off, flatness, flux
    std::array<RunningStats, kContrastBands> contrast_;
    std::vector<float> dct_;             // kMfccCount x kMelBands
    std::vector<float> magnitude_;       // this frame's, normalised to sum 1
    std::vector<float> prev_magnitude_;  // the previous non-silent frame's
    std::vector<float> log2_power_;      // this frame's, for the flatness
    std::vector<float> scratch_;
    bool has_prev_ = false;
    size_t contrast_turn_ = 0;
};

// Below this total power a frame counts as silent (about 75 dB under a full-scale sine).
inline constexpr float kSilentFramePower = 1e-2f;

}  // namespace sonique::analysis
