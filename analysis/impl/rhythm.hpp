#pragma once
// Rhythm from the onset-strength envelope (how much the mel bands rise from one frame to the
// next): tempo and its confidence from the envelope's autocorrelation, onset rate from its
// peaks, pulse clarity from the autocorrelation's highest peak. The autocorrelation is summed
// as the frames come, over a ring of the last kMaxLag values: constant memory. One thread.
#include <array>
#include <cstddef>

#include "analysis/features.hpp"
#include "mel.hpp"
#include "running_stats.hpp"

namespace sonique::analysis {

// Tempi considered, in BPM.
inline constexpr double kSlowestBpm = 40.0;
inline constexpr double kFastestBpm = 240.0;

class Rhythm {
  public:
    Rhythm();
    void add(const std::array<float, kMelBands>& mel_db);
    void write(FeatureVector& out) const;

  private:
    void count_onset(double strength);

    static constexpr size_t kMaxLag = 130;  // 40 BPM at 86 frames per second
    std::array<float, kMelBands> prev_{};
    bool has_prev_ = false;
    std::array<double, kMaxLag + 1> ring_{};  // detrended envelope, newest at head_
    size_t head_ = 0;
    size_t filled_ = 0;
    std::array<double, kMaxLag + 1> acf_{};
    double trend_ = 0;  // slow average of the envelope, removed before correlating
    // Peak picking: the last two values and an adaptive threshold.
    double before_ = 0, last_ = 0;
    double level_ = 0, spread_ = 0;
    size_t since_onset_ = 0;
    size_t onsets_ = 0;
    size_t frames_ = 0;
};

}  // namespace sonique::analysis
