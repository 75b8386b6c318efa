#include "rhythm.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/analyse.hpp"
#include "stft.hpp"

namespace sonique::analysis {
namespace {

constexpr double kFramesPerSecond = static_cast<double>(kAnalysisRate) / kHop;
// Exponential averages over about one second (trend) and half a second (peak threshold).
constexpr double kTrendRate = 1.0 / kFramesPerSecond;
constexpr double kLevelRate = 2.0 / kFramesPerSecond;
// An onset is a peak this many spreads above the recent level, at least 50 ms after the last.
constexpr double kOnsetSpreads = 1.5;
constexpr size_t kMinOnsetGap = 4;
// Preferred tempo: a log-normal weight centred on 120 BPM, one octave wide, as in most tempo
// estimators, to choose between a tempo and its half or double, which autocorrelate alike.
constexpr double kPreferredBpm = 120.0;

double lag_to_bpm(double lag) {
    return 60.0 * kFramesPerSecond / lag;
}

}  // namespace

Rhythm::Rhythm() = default;

void Rhythm::add(const std::array<float, kMelBands>& mel_db) {
    double strength = 0;
    if (has_prev_) {
        for (size_t b = 0; b < kMelBands; ++b)
            strength += std::max(0.0f, mel_db[b] - prev_[b]);
        strength /= kMelBands;
    }
    prev_ = mel_db;
    has_prev_ = true;
    ++frames_;
    count_onset(strength);

    trend_ += kTrendRate * (strength - trend_);
    double x = strength - trend_;
    head_ = (head_ + 1) % ring_.size();
    ring_[head_] = x;
    filled_ = std::min(filled_ + 1, ring_.size());
    for (size_t lag = 0; lag < filled_; ++lag)
        acf_[lag] += x * ring_[(head_ + ring_.size() - lag) % ring_.size()];
}

void Rhythm::count_onset(double strength) {
    ++since_onset_;
    bool peak = last_ > before_ && last_ >= strength;
    if (peak && last_ > level_ + kOnsetSpreads * spread_ && last_ > 0.1 &&
        since_onset_ > kMinOnsetGap) {
        ++onsets_;
        since_onset_ = 0;
    }
    level_ += kLevelRate * (strength - level_);
    spread_ += kLevelRate * (std::abs(strength - level_) - spread_);
    before_ = last_;
    last_ = strength;
}

void Rhythm::write(FeatureVector& out) const {
    double seconds = static_cast<double>(frames_) / kFramesPerSecond;
    out[kOnsetRateIndex] = seconds > 0 ? static_cast<float>(onsets_ / seconds) : 0.0f;
    const auto min_lag = static_cast<size_t>(std::floor(60.0 * kFramesPerSecond / kFastestBpm));
    if (acf_[0] <= 0 || filled_ <= kMaxLag) return;  // silence or under two seconds: no tempo
    double best_w = -1, clarity = 0, sum_w = 0;
    size_t best = min_lag;
    for (size_t lag = min_lag; lag <= kMaxLag; ++lag) {
        double r = acf_[lag] / acf_[0];
        // A period between two lags splits its peak over both, while its double may fall on
        // one lag and look twice as strong: a lag's score takes in its larger neighbour.
        double neighbour = std::max(acf_[lag - 1], lag < kMaxLag ? acf_[lag + 1] : 0.0) / acf_[0];
        double score = 0.5 * (r + std::max(0.0, neighbour));
        double octaves = std::log2(lag_to_bpm(static_cast<double>(lag)) / kPreferredBpm);
        double w = score * std::exp(-0.5 * octaves * octaves);
        sum_w += w;
        clarity = std::max(clarity, r);
        if (w > best_w) {
            best_w = w;
            best = lag;
        }
    }
    // Parabolic interpolation around the peak: the tempo between two lags.
    double lag = static_cast<double>(best);
    if (best > min_lag && best < kMaxLag) {
        double a = acf_[best - 1], b = acf_[best], c = acf_[best + 1];
        double denom = a - 2 * b + c;
        if (denom < 0) lag += std::clamp(0.5 * (a - c) / denom, -0.5, 0.5);
    }
    double mean_w = sum_w / static_cast<double>(kMaxLag - min_lag + 1);
    out[kTempoIndex] = static_cast<float>(lag_to_bpm(lag));
    out[kTempoConfidenceIndex] = static_cast<float>(std::clamp(best_w - mean_w, 0.0, 1.0));
    out[kPulseClarityIndex] = static_cast<float>(std::clamp(clarity, 0.0, 1.0));
}

}  // namespace sonique::analysis
