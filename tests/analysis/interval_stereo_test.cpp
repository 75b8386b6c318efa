// Known answers for version 4's features: the chroma's interval content (key-invariant, the
// chord's kind shows) and the stereo width (mono, panned, independent and opposite channels).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "analysis/analyse.hpp"
#include "analysis/features.hpp"
#include "signals.hpp"

namespace sonique::analysis {
namespace {

class IntervalStereoTest : public ::testing::Test {
  protected:
    test::SignalDir dir;
};

// Three sines at `hz`, 10 s, mono.
std::string chord(double a, double b, double c) {
    auto sine = [](double hz) { return "0.2*sin(2*PI*" + std::to_string(hz) + "*t)"; };
    return "aevalsrc='" + sine(a) + "+" + sine(b) + "+" + sine(c) + "':s=44100:d=10";
}

// The interval classes' sum: (1 - sum of p^2) / 2 averaged over frames (harmony.cpp).
float interval_total(const FeatureVector& v) {
    float total = 0;
    for (size_t i = 0; i < kIntervalClasses; ++i)
        total += v[kIntervalIndex + i];
    return total;
}

// Each triad kind's share of the four.
std::array<float, kTriadKinds> triad_shares(const FeatureVector& v) {
    std::array<float, kTriadKinds> out{};
    float total = 0;
    for (size_t i = 0; i < kTriadKinds; ++i)
        total += v[kIntervalIndex + kIntervalClasses + i];
    for (size_t i = 0; i < kTriadKinds; ++i)
        out[i] = total > 0 ? v[kIntervalIndex + kIntervalClasses + i] / total : 0.0f;
    return out;
}

size_t strongest_triad(const FeatureVector& v) {
    const float* t = &v[kIntervalIndex + kIntervalClasses];
    return static_cast<size_t>(std::max_element(t, t + kTriadKinds) - t);
}

TEST_F(IntervalStereoTest, AChordsKindIsItsStrongestTriad) {
    auto major = analyse_file(dir.make("a_major.wav", chord(220, 277.18, 329.63))).values;
    auto minor = analyse_file(dir.make("a_minor.wav", chord(220, 261.63, 329.63))).values;
    auto diminished = analyse_file(dir.make("b_dim.wav", chord(246.94, 293.66, 349.23))).values;
    EXPECT_EQ(strongest_triad(major), 0u);
    EXPECT_EQ(strongest_triad(minor), 1u);
    EXPECT_EQ(strongest_triad(diminished), 2u);
    // A triad's intervals are thirds and a fourth (fifth): the seconds and the tritone are
    // (nearly) absent.
    const float* iv = &major[kIntervalIndex];
    EXPECT_LT(iv[0] + iv[1] + iv[5], 0.1f * interval_total(major));
}

TEST_F(IntervalStereoTest, AToneHasNoIntervalContentAndNoiseHasEveryInterval) {
    auto tone = analyse_file(dir.make("tone.wav", "sine=f=440:d=10")).values;
    auto noise = analyse_file(dir.make("noise.wav", "anoisesrc=d=10:c=white:a=0.3")).values;
    // One pitch class sounds: its pairs with the others are leakage, e^-12 and less.
    EXPECT_LT(interval_total(tone), 0.001f);
    // Noise sounds every pitch class at random levels: every interval class is there, and the
    // total is a good share of the 11/24 that twelve equal pitch classes would give.
    EXPECT_GT(interval_total(noise), 0.15f);
    for (size_t i = 0; i < kIntervalClasses; ++i)
        EXPECT_GT(noise[kIntervalIndex + i], 0.005f) << feature_name(kIntervalIndex + i);
}

TEST_F(IntervalStereoTest, IntervalContentDoesNotDependOnTheKey) {
    // The same major triad on A and on C: the key differs, the interval content does not. An
    // octave above the other tests' chords: below ~360 Hz a semitone is under two STFT bins and
    // how a note's frequency falls between bins weighs its pitch class (docs/analysis.md).
    auto a = analyse_file(dir.make("a.wav", chord(440, 554.37, 659.26))).values;
    auto c = analyse_file(dir.make("c.wav", chord(523.25, 659.26, 783.99))).values;
    EXPECT_NE(a[kKeyIndex], c[kKeyIndex]);
    auto ta = triad_shares(a), tc = triad_shares(c);
    for (size_t i = 0; i < kTriadKinds; ++i)
        EXPECT_NEAR(ta[i], tc[i], 0.05) << feature_name(kIntervalIndex + kIntervalClasses + i);
    // The interval classes are the triad's (thirds and fourth) in both; their shares follow the
    // notes' weights in the chroma, which still differ with where each falls between bins.
    for (const FeatureVector* v : {&a, &c}) {
        const float* iv = &(*v)[kIntervalIndex];
        EXPECT_GT(iv[2] + iv[3] + iv[4], 0.95f * interval_total(*v));
    }
}

TEST_F(IntervalStereoTest, StereoWidthOfKnownMixes) {
    const std::string noise = "anoisesrc=d=8:c=pink:a=0.3";
    // Mono, and the same signal in both channels: no side at all.
    auto mono = analyse_file(dir.make("mono.flac", noise)).values;
    auto dual = analyse_file(dir.make("dual.flac", noise, "-ac 2")).values;
    EXPECT_EQ(mono[kStereoWidthIndex], 0.0f);
    EXPECT_NEAR(dual[kStereoWidthIndex], 0.0, 0.01);
    // One channel only (hard pan): mid and side are equal.
    auto left = analyse_file(dir.make("left.flac", noise, "-af 'pan=stereo|c0=c0'")).values;
    EXPECT_NEAR(left[kStereoWidthIndex], 0.5, 0.01);
    // Two independent noises: uncorrelated channels, again half.
    auto wide = analyse_file(dir.make("wide.flac",
                                      "anoisesrc=d=8:c=pink:a=0.3:seed=1[l];anoisesrc=d=8:c=pink:"
                                      "a=0.3:seed=2[r];[l][r]amerge=inputs=2"))
                    .values;
    EXPECT_NEAR(wide[kStereoWidthIndex], 0.5, 0.05);
    // Opposite channels: all side.
    auto opposite =
        analyse_file(dir.make("opposite.flac", noise, "-af 'pan=stereo|c0=c0|c1=-1*c0'")).values;
    EXPECT_NEAR(opposite[kStereoWidthIndex], 1.0, 0.01);
    // A steady mix: the width barely moves from one second to the next.
    EXPECT_LT(wide[kStereoWidthStdIndex], 0.05f);
}

TEST_F(IntervalStereoTest, AMixThatWidensHasAWidthDeviation) {
    // 4 s of the same tone in both channels (width 0), then 4 s with the right channel a
    // quarter cycle late (uncorrelated over a period: width 0.5).
    std::string file = dir.make("widens.flac",
                                "aevalsrc='0.3*sin(2*PI*440*t)|0.3*sin(2*PI*440*t+if(lt(t,4),0,PI/"
                                "2))':s=44100:d=8");
    auto f = analyse_file(file).values;
    EXPECT_GT(f[kStereoWidthStdIndex], 0.15f);
    EXPECT_GT(f[kStereoWidthIndex], 0.1f);
    EXPECT_LT(f[kStereoWidthIndex], 0.4f);
}

}  // namespace
}  // namespace sonique::analysis
