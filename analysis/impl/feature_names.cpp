#include <array>
#include <string>

#include "analysis/features.hpp"

namespace sonique::analysis {
namespace {

constexpr std::array<std::string_view, 12> kPitchClasses{"C",  "C#", "D",  "D#", "E",  "F",
                                                         "F#", "G",  "G#", "A",  "A#", "B"};

std::array<std::string, kFeatureCount> build_names() {
    std::array<std::string, kFeatureCount> names;
    for (size_t k = 0; k < kMfccCount; ++k) {
        names[kTimbre.offset + k] = "mfcc_mean_" + std::to_string(k);
        names[kTimbre.offset + kMfccCount + k] = "mfcc_std_" + std::to_string(k);
    }
    const std::array<std::string, 5> shape{"centroid", "bandwidth", "rolloff", "flatness", "flux"};
    for (size_t i = 0; i < shape.size(); ++i) {
        names[kSpectral.offset + 2 * i] = shape[i] + "_mean";
        names[kSpectral.offset + 2 * i + 1] = shape[i] + "_std";
    }
    for (size_t b = 0; b < kContrastBands; ++b)
        names[kSpectral.offset + 10 + b] = "contrast_" + std::to_string(b);
    // Interval classes by their smaller interval: minor second .. tritone.
    const std::array<std::string, kIntervalClasses> intervals{"m2", "M2", "m3",
                                                              "M3", "P4", "tritone"};
    for (size_t i = 0; i < kIntervalClasses; ++i)
        names[kIntervalIndex + i] = "interval_" + intervals[i];
    const std::array<std::string, kTriadKinds> triads{"major", "minor", "diminished", "augmented"};
    for (size_t i = 0; i < kTriadKinds; ++i)
        names[kIntervalIndex + kIntervalClasses + i] = "triad_" + triads[i];
    names[kKeyIndex] = "key";
    names[kModeIndex] = "mode";
    names[kKeyConfidenceIndex] = "key_confidence";
    names[kTempoIndex] = "tempo";
    names[kTempoConfidenceIndex] = "tempo_confidence";
    names[kOnsetRateIndex] = "onset_rate";
    names[kPulseClarityIndex] = "pulse_clarity";
    names[kIntegratedLoudnessIndex] = "integrated_loudness";
    names[kLoudnessRangeIndex] = "loudness_range";
    names[kTruePeakIndex] = "true_peak";
    names[kStereoWidthIndex] = "stereo_width";
    names[kStereoWidthStdIndex] = "stereo_width_std";
    return names;
}

}  // namespace

std::string_view feature_name(size_t i) {
    static const auto names = build_names();
    return i < names.size() ? std::string_view(names[i]) : std::string_view();
}

std::string_view pitch_class_name(int pc) {
    return pc >= 0 && pc < 12 ? kPitchClasses[pc] : std::string_view();
}

}  // namespace sonique::analysis
