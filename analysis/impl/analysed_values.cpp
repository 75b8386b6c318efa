#include "analysed_values.hpp"

#include <cmath>

namespace sonique::analysis {
namespace {

double rounded(double value, double step) {
    return std::round(value / step) * step;
}

}  // namespace

AnalysedValues analysed_values(const FeatureVector& f) {
    AnalysedValues out;
    double tempo = f[kTempoIndex];
    if (std::isfinite(tempo) && tempo > 0) out.bpm = rounded(tempo, 0.1);
    // The key is the best of 24 profiles by correlation: silence correlates with none (0).
    if (std::isfinite(f[kKeyConfidenceIndex]) && f[kKeyConfidenceIndex] > 0) {
        auto pc = static_cast<int>(f[kKeyIndex]);
        if (pc >= 0 && pc < 12) {
            out.key = std::string(pitch_class_name(pc));
            out.scale = f[kModeIndex] > 0.5f ? "major" : "minor";
        }
    }
    // The floor stands for silence: it has no loudness, and a gain computed from it (+52 dB)
    // would be harmful.
    double loudness = f[kIntegratedLoudnessIndex];
    if (std::isfinite(loudness) && loudness > kLoudnessFloor) {
        out.loudness = rounded(loudness, 0.01);
        out.track_gain = rounded(kReplayGainReference - loudness, 0.01);
        double peak_db = f[kTruePeakIndex];
        if (std::isfinite(peak_db)) out.track_peak = rounded(std::pow(10.0, peak_db / 20.0), 1e-6);
    }
    return out;
}

}  // namespace sonique::analysis
