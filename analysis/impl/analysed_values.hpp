#pragma once
// What one track's features offer where tags and the API gave nothing: BPM, key and scale,
// loudness and ReplayGain (docs/analysis.md, "Values the tags lacked"). Stored beside the raw
// features (analysed_track_values, migration 0020); the statements that serve a track prefer
// the written values to these.
#include <optional>
#include <string>

#include "analysis/features.hpp"

namespace sonique::analysis {

// ReplayGain 2.0's reference level: a track at -18 LUFS needs no gain.
inline constexpr double kReplayGainReference = -18.0;

struct AnalysedValues {
    std::optional<double> bpm;       // none when the analyser found no tempo
    std::optional<std::string> key;  // "C" .. "B"; none when no key correlates (silence)
    std::optional<std::string> scale;
    std::optional<double> loudness;    // integrated, LUFS; none for silence (the floor)
    std::optional<double> track_gain;  // dB: kReplayGainReference - loudness
    std::optional<double> track_peak;  // the true peak, linear (1.0 = full scale)
};

// The values of one analysis, rounded as tags write them (BPM to 0.1, dB to 0.01, the peak to
// 1e-6). Migration 0020 applies the same rules to rows analysed before it. Never throws; any
// thread.
AnalysedValues analysed_values(const FeatureVector& features);

}  // namespace sonique::analysis
