// Distances between sonic vectors: the same audio in three codecs lands close together, while
// noise and a tone land far apart. The library statistics come from the set analysed here.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "analysis/analyse.hpp"
#include "analysis/sonic.hpp"
#include "signals.hpp"

namespace sonique::analysis {
namespace {

// Music-like material: a chord, a pulse and some noise, 20 s, stereo 44.1 kHz.
constexpr const char* kMixture =
    "aevalsrc='0.15*sin(2*PI*196*t)+0.12*sin(2*PI*246.94*t)+0.1*sin(2*PI*293.66*t)"
    "+0.5*lt(mod(t,0.4),0.02)*sin(2*PI*90*t)+0.05*(random(0)-0.5)':s=44100:c=stereo:d=20";

class SonicDistanceTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new test::SignalDir();
        auto add = [](const std::string& name, const std::string& source,
                      const std::string& args = "") {
            (*raw_)[name] = analyse_file(dir_->make(name, source, args)).values;
        };
        raw_ = new std::map<std::string, FeatureVector>();
        add("mix.flac", kMixture);
        add("mix.mp3", kMixture, "-b:a 192k");
        add("mix.opus", kMixture, "-b:a 128k");
        add("noise.flac", "anoisesrc=color=pink:amplitude=0.3:d=20");
        add("noise_white.flac", "anoisesrc=color=white:amplitude=0.2:d=20");
        add("tone.flac", "sine=f=440:d=20");
        add("tone_low.flac", "sine=f=110:d=20");
        add("clicks.flac",
            "aevalsrc='0.8*lt(mod(t,0.5),0.005)*sin(2*PI*2000*t)*exp(-300*mod(t,0.5))':d=20");
        std::vector<FeatureVector> all;
        for (const auto& [name, v] : *raw_)
            all.push_back(v);
        LibraryStats stats = library_stats(all);
        sonic_ = new std::map<std::string, FeatureVector>();
        for (const auto& [name, v] : *raw_)
            (*sonic_)[name] = sonic_vector(v, stats);
    }
    static void TearDownTestSuite() {
        delete sonic_;
        delete raw_;
        delete dir_;
    }
    static float distance(const std::string& a, const std::string& b) {
        return sonic_distance(sonic_->at(a), sonic_->at(b));
    }

    static test::SignalDir* dir_;
    static std::map<std::string, FeatureVector>* raw_;
    static std::map<std::string, FeatureVector>* sonic_;
};
test::SignalDir* SonicDistanceTest::dir_ = nullptr;
std::map<std::string, FeatureVector>* SonicDistanceTest::raw_ = nullptr;
std::map<std::string, FeatureVector>* SonicDistanceTest::sonic_ = nullptr;

TEST_F(SonicDistanceTest, NoiseAndAToneAreFarApart) {
    float noise_tone = distance("noise.flac", "tone.flac");
    EXPECT_GT(noise_tone, 4 * distance("mix.flac", "mix.mp3")) << noise_tone;
    // Farther than the two tones or the two noises are from each other.
    EXPECT_GT(noise_tone, distance("tone.flac", "tone_low.flac"));
    EXPECT_GT(noise_tone, distance("noise.flac", "noise_white.flac"));
}

TEST_F(SonicDistanceTest, TheSameAudioInMp3FlacAndOpusIsNearItself) {
    float worst_same = std::max({distance("mix.flac", "mix.mp3"), distance("mix.flac", "mix.opus"),
                                 distance("mix.mp3", "mix.opus")});
    for (const std::string other :
         {"noise.flac", "noise_white.flac", "tone.flac", "tone_low.flac", "clicks.flac"}) {
        EXPECT_LT(4 * worst_same, distance("mix.flac", other)) << other;
    }
    // Tempo and key survive the codecs.
    EXPECT_NEAR(raw_->at("mix.mp3")[kTempoIndex], raw_->at("mix.flac")[kTempoIndex], 1.0);
    EXPECT_NEAR(raw_->at("mix.opus")[kTempoIndex], raw_->at("mix.flac")[kTempoIndex], 1.0);
    EXPECT_EQ(raw_->at("mix.opus")[kKeyIndex], raw_->at("mix.flac")[kKeyIndex]);
}

TEST(SonicVector, StandardisesAndLeavesTheKeyOut) {
    FeatureVector a{}, b{};
    a.fill(1.0f);
    b.fill(3.0f);
    LibraryStats stats = library_stats({a, b});
    EXPECT_FLOAT_EQ(stats.mean[0], 2.0f);
    EXPECT_FLOAT_EQ(stats.stddev[0], 1.0f);
    FeatureVector s = sonic_vector(b, stats, {1, 1, 1, 1, 1});
    EXPECT_FLOAT_EQ(s[0], 1.0f / std::sqrt(static_cast<float>(kTimbre.size)));
    EXPECT_EQ(s[kKeyIndex], 0.0f);
    // A feature that never varies standardises to 0 instead of dividing by zero.
    LibraryStats flat = library_stats({a, a});
    EXPECT_EQ(sonic_vector(a, flat)[0], 0.0f);
}

TEST(SonicVector, LeavesTheTempoOutAndScalesEachGroupByWhatItHolds) {
    FeatureVector a{}, b{};
    a.fill(1.0f);
    b.fill(3.0f);
    LibraryStats stats = library_stats({a, b});
    FeatureVector s = sonic_vector(b, stats, {1, 1, 1, 1, 1, 1});
    EXPECT_EQ(s[kTempoIndex], 0.0f);
    // The rhythm group holds three values in the vector, the harmony group all but the key.
    EXPECT_FLOAT_EQ(s[kTempoConfidenceIndex], 1.0f / std::sqrt(3.0f));
    EXPECT_FLOAT_EQ(s[kModeIndex], 1.0f / std::sqrt(static_cast<float>(kHarmony.size - 1)));
    // So each group's part of the distance is its weight, whatever its size.
    float rhythm = 0;
    for (size_t i = kRhythm.offset; i < kRhythm.offset + kRhythm.size; ++i)
        rhythm += s[i] * s[i];
    EXPECT_FLOAT_EQ(rhythm, 1.0f);
}

}  // namespace
}  // namespace sonique::analysis
