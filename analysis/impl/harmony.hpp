#pragma once
// Harmony: the mean chroma (energy per pitch class, octaves folded) and the key and mode that
// best fit it (Krumhansl-Schmuckler: correlation with the 24 rotated Krumhansl-Kessler probe-tone
// profiles), and the chroma's interval content: per frame, how much of each interval class and
// each triad kind the sounding pitch classes form, whatever the key (docs/analysis.md).
// Constant memory. One thread.
#include <array>
#include <vector>

#include "analysis/features.hpp"

namespace sonique::analysis {

struct KeyEstimate {
    int key = 0;  // pitch class of the tonic, 0 = C
    bool major = true;
    double confidence = 0;  // correlation of the best profile, clipped to [0, 1]
};

// The best-fitting key for a chroma vector (C..B). Any thread.
KeyEstimate estimate_key(const std::array<double, 12>& chroma);

class Harmony {
  public:
    Harmony();
    void add(const float* power);  // kBins values; silent frames are left out
    void write(FeatureVector& out) const;

  private:
    std::vector<int> pitch_class_;         // per bin, -1 outside the range used
    size_t first_bin_ = 0, last_bin_ = 0;  // the range used
    std::array<double, 12> sum_{};
    std::array<double, kIntervalClasses> dyads_{};  // summed over frames
    std::array<double, kTriadKinds> triads_{};
    size_t frames_ = 0;
};

}  // namespace sonique::analysis
