#include "harmony.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/analyse.hpp"
#include "spectral_features.hpp"
#include "stft.hpp"

namespace sonique::analysis {
namespace {

// Below ~90 Hz a bin is wider than a semitone; above 5 kHz there is little but harmonics and
// noise.
constexpr double kLowestHz = 90.0;
constexpr double kHighestHz = 5000.0;

// Krumhansl and Kessler's probe-tone ratings (1982), tonic first.
constexpr std::array<double, 12> kMajorProfile{6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                               2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
constexpr std::array<double, 12> kMinorProfile{6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                               2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

// A frame's chroma (peak 1) is sharpened by exp(kSharpness * c) and normalised to sum 1 before
// its interval content is taken: the FFT's leakage and the harmonics of every note put some
// energy in every pitch class, and products of those small values would describe the noise
// floor rather than the notes. With 12, a pitch class at half the peak weighs e^-6 (0.25 %) of
// the peak's: what counts is the few pitch classes that really sound together.
constexpr double kSharpness = 12.0;

// Triads as intervals above their root: major (4, 7), minor (3, 7), diminished (3, 6),
// augmented (4, 8, which divides the octave evenly: every note of it is a root).
constexpr std::array<std::array<int, 2>, kTriadKinds> kTriads{{{4, 7}, {3, 7}, {3, 6}, {4, 8}}};

double correlation(const std::array<double, 12>& chroma, const std::array<double, 12>& profile,
                   int tonic) {
    double mc = 0, mp = 0;
    for (int i = 0; i < 12; ++i) {
        mc += chroma[i];
        mp += profile[i];
    }
    mc /= 12;
    mp /= 12;
    double num = 0, dc = 0, dp = 0;
    for (int i = 0; i < 12; ++i) {
        double c = chroma[i] - mc;
        double p = profile[(i - tonic + 12) % 12] - mp;
        num += c * p;
        dc += c * c;
        dp += p * p;
    }
    return dc > 0 && dp > 0 ? num / std::sqrt(dc * dp) : 0.0;
}

}  // namespace

KeyEstimate estimate_key(const std::array<double, 12>& chroma) {
    KeyEstimate best;
    double best_r = -2;
    for (int tonic = 0; tonic < 12; ++tonic) {
        for (bool major : {true, false}) {
            double r = correlation(chroma, major ? kMajorProfile : kMinorProfile, tonic);
            if (r > best_r) {
                best_r = r;
                best = {tonic, major, 0};
            }
        }
    }
    best.confidence = std::clamp(best_r, 0.0, 1.0);
    return best;
}

Harmony::Harmony() : pitch_class_(kBins, -1) {
    const double bin_hz = static_cast<double>(kAnalysisRate) / kFrameSize;
    for (size_t k = 1; k < kBins; ++k) {
        double f = k * bin_hz;
        if (f < kLowestHz || f > kHighestHz) continue;
        int midi = static_cast<int>(std::lround(69 + 12 * std::log2(f / 440.0)));
        pitch_class_[k] = midi % 12;
        if (first_bin_ == 0) first_bin_ = k;
        last_bin_ = k;
    }
}

void Harmony::add(const float* power) {
    std::array<double, 12> frame{};
    double total = 0;
    for (size_t k = 0; k < kBins; ++k)
        total += power[k];
    if (total < kSilentFramePower) return;
    for (size_t k = first_bin_; k <= last_bin_; ++k)  // every bin in between has a pitch class
        frame[pitch_class_[k]] += std::sqrt(power[k]);
    double peak = *std::max_element(frame.begin(), frame.end());
    if (peak <= 0) return;
    std::array<double, 12> p{};
    double p_total = 0;
    for (int i = 0; i < 12; ++i) {  // each frame counts the same, whatever its level
        double c = frame[i] / peak;
        sum_[i] += c;
        p[i] = std::exp(kSharpness * (c - 1.0));  // <= 1: no overflow
        p_total += p[i];
    }
    for (double& v : p)
        v /= p_total;
    // Interval class k (1..6 semitones, an interval and its inversion alike): every pair of
    // pitch classes k apart, each pair once (the tritone's pairs would come twice round the
    // circle, so it takes half).
    for (size_t k = 1; k <= kIntervalClasses; ++k) {
        double sum = 0;
        for (size_t i = 0; i < 12; ++i)
            sum += p[i] * p[(i + k) % 12];
        dyads_[k - 1] += k == 6 ? sum / 2 : sum;
    }
    for (size_t t = 0; t < kTriadKinds; ++t) {
        double sum = 0;
        for (size_t i = 0; i < 12; ++i)
            sum += p[i] * p[(i + kTriads[t][0]) % 12] * p[(i + kTriads[t][1]) % 12];
        triads_[t] += t == 3 ? sum / 3 : sum;  // an augmented triad is found from each of its notes
    }
    ++frames_;
}

void Harmony::write(FeatureVector& out) const {
    std::array<double, 12> mean{};
    for (int i = 0; i < 12; ++i)
        mean[i] = frames_ > 0 ? sum_[i] / static_cast<double>(frames_) : 0.0;
    // Means over the frames, not shares of their total: a frame's p sums to 1, so its interval
    // classes sum to (1 - sum of p^2) / 2, near 0 for one sounding pitch class and 11/24 for all
    // twelve alike. A single tone then has (nearly) no interval content, where shares of its
    // leakage's tiny products were as large as a chord's and changed with its frequency.
    const double frames = frames_ > 0 ? static_cast<double>(frames_) : 1.0;
    for (size_t k = 0; k < kIntervalClasses; ++k)
        out[kIntervalIndex + k] = static_cast<float>(dyads_[k] / frames);
    for (size_t t = 0; t < kTriadKinds; ++t)
        out[kIntervalIndex + kIntervalClasses + t] = static_cast<float>(triads_[t] / frames);
    KeyEstimate key = estimate_key(mean);
    out[kKeyIndex] = static_cast<float>(key.key);
    out[kModeIndex] = key.major ? 1.0f : 0.0f;
    out[kKeyConfidenceIndex] = static_cast<float>(key.confidence);
}

}  // namespace sonique::analysis
