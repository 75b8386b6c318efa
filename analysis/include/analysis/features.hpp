#pragma once
// The analyser's output: one fixed-length vector of raw features per track, laid out in groups
// (docs/analysis.md says what each group captures and why it is there). The layout belongs to
// kAnalyserVersion: changing a feature, its order or its computation bumps the version, and
// stored rows of an older version are then re-analysed.
#include <array>
#include <cstddef>
#include <string_view>

namespace sonique::analysis {

inline constexpr int kAnalyserVersion = 4;

// Where each group starts in the vector and how many values it holds.
struct FeatureGroup {
    std::string_view name;
    size_t offset;
    size_t size;
};

inline constexpr size_t kMfccCount = 13;
inline constexpr size_t kContrastBands = 6;

inline constexpr FeatureGroup kTimbre{"timbre", 0, 2 * kMfccCount};  // MFCC means, then stds
// centroid, bandwidth, roll-off, flatness, flux (mean and std each), then contrast per band.
inline constexpr FeatureGroup kSpectral{"spectral", kTimbre.offset + kTimbre.size,
                                        10 + kContrastBands};
// Interval content of the chroma, key-invariant (harmony.hpp): how much of each of the six
// interval classes (minor second .. tritone) the co-sounding pitch classes form, then of each
// triad (major, minor, diminished, augmented), means over the frames; then key (0 = C .. 11 =
// B), mode (1 major, 0 minor), key confidence.
inline constexpr size_t kIntervalClasses = 6;
inline constexpr size_t kTriadKinds = 4;
inline constexpr FeatureGroup kHarmony{"harmony", kSpectral.offset + kSpectral.size,
                                       kIntervalClasses + kTriadKinds + 3};
// tempo (BPM), tempo confidence, onset rate (per second), pulse clarity.
inline constexpr FeatureGroup kRhythm{"rhythm", kHarmony.offset + kHarmony.size, 4};
// integrated loudness (LUFS), loudness range (LU), true peak (dBTP).
inline constexpr FeatureGroup kLoudness{"loudness", kRhythm.offset + kRhythm.size, 3};
// stereo width (side's share of the power), its standard deviation over 1 s blocks.
inline constexpr FeatureGroup kStereo{"stereo", kLoudness.offset + kLoudness.size, 2};

inline constexpr std::array<FeatureGroup, 6> kGroups{kTimbre, kSpectral, kHarmony,
                                                     kRhythm, kLoudness, kStereo};
inline constexpr size_t kFeatureCount = kStereo.offset + kStereo.size;
static_assert(kFeatureCount == 64);

// Indexes of single features that other code reads by name.
inline constexpr size_t kIntervalIndex = kHarmony.offset;  // six interval classes, four triads
inline constexpr size_t kKeyIndex = kHarmony.offset + kIntervalClasses + kTriadKinds;
inline constexpr size_t kModeIndex = kKeyIndex + 1;
inline constexpr size_t kKeyConfidenceIndex = kKeyIndex + 2;
inline constexpr size_t kTempoIndex = kRhythm.offset;
inline constexpr size_t kTempoConfidenceIndex = kRhythm.offset + 1;
inline constexpr size_t kOnsetRateIndex = kRhythm.offset + 2;
inline constexpr size_t kPulseClarityIndex = kRhythm.offset + 3;
inline constexpr size_t kIntegratedLoudnessIndex = kLoudness.offset;
inline constexpr size_t kLoudnessRangeIndex = kLoudness.offset + 1;
inline constexpr size_t kTruePeakIndex = kLoudness.offset + 2;
inline constexpr size_t kStereoWidthIndex = kStereo.offset;
inline constexpr size_t kStereoWidthStdIndex = kStereo.offset + 1;

// Silence has no finite loudness or peak: these floors stand for it (the EBU R128 absolute gate).
inline constexpr float kLoudnessFloor = -70.0f;

using FeatureVector = std::array<float, kFeatureCount>;

// One track's analysis: its features and how many seconds of audio they were computed from.
struct TrackFeatures {
    FeatureVector values{};
    double seconds_analysed = 0;
};

// Name of feature i ("mfcc_mean_0", "tempo", ...), for the API and the docs. Any thread.
std::string_view feature_name(size_t i);

// "C", "C#", ... "B" for 0..11 (sharps, as keys are usually tagged). Any thread.
std::string_view pitch_class_name(int pc);

}  // namespace sonique::analysis
