#pragma once
// The analyser's output: one fixed-length vector of raw features per track, laid out in groups
// (docs/analysis.md says what each group captures and why it is there). The layout belongs to
// kAnalyserVersion: changing a feature, its order or its computation bumps the version, and
// stored rows of an older version are then re-analysed.
#include <array>
#include <cstddef>
#include <string_view>

namespace sonique::analysis {

inline constexpr int kAnalyserVersion = 3;

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
// 12 chroma means (C..B), key (0 = C .. 11 = B), mode (1 major, 0 minor), key confidence.
inline constexpr FeatureGroup kHarmony{"harmony", kSpectral.offset + kSpectral.size, 15};
// tempo (BPM), tempo confidence, onset rate (per second), pulse clarity.
inline constexpr FeatureGroup kRhythm{"rhythm", kHarmony.offset + kHarmony.size, 4};
// integrated loudness (LUFS), loudness range (LU), true peak (dBTP).
inline constexpr FeatureGroup kLoudness{"loudness", kRhythm.offset + kRhythm.size, 3};

inline constexpr std::array<FeatureGroup, 5> kGroups{kTimbre, kSpectral, kHarmony, kRhythm,
                                                     kLoudness};
inline constexpr size_t kFeatureCount = kLoudness.offset + kLoudness.size;
static_assert(kFeatureCount == 64);

// Indexes of single features that other code reads by name.
inline constexpr size_t kKeyIndex = kHarmony.offset + 12;
inline constexpr size_t kModeIndex = kHarmony.offset + 13;
inline constexpr size_t kKeyConfidenceIndex = kHarmony.offset + 14;
inline constexpr size_t kTempoIndex = kRhythm.offset;
inline constexpr size_t kTempoConfidenceIndex = kRhythm.offset + 1;
inline constexpr size_t kOnsetRateIndex = kRhythm.offset + 2;
inline constexpr size_t kPulseClarityIndex = kRhythm.offset + 3;
inline constexpr size_t kIntegratedLoudnessIndex = kLoudness.offset;
inline constexpr size_t kLoudnessRangeIndex = kLoudness.offset + 1;
inline constexpr size_t kTruePeakIndex = kLoudness.offset + 2;

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
