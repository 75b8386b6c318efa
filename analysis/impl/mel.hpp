#pragma once
// A mel filter bank over the STFT's bins, giving band energies in dB. The timbre features (MFCC)
// and the onset envelope (rhythm) both start from these bands, so each frame computes them once.
#include <array>
#include <cstddef>
#include <vector>

#include "stft.hpp"

namespace sonique::analysis {

inline constexpr size_t kMelBands = 40;

class MelBank {
  public:
    MelBank();  // triangular HTK-mel filters from 0 Hz to Nyquist
    // Writes kMelBands energies in dB (floored at -100 dB) from a power spectrum of kBins.
    void apply(const float* power, std::array<float, kMelBands>& out_db) const;

  private:
    struct Weight {
        size_t bin;
        float w;
    };
    std::array<std::vector<Weight>, kMelBands> filters_;
};

}  // namespace sonique::analysis
