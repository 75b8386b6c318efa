// Known answers from synthetic signals: tempo of a click track, key of a chord, loudness of a
// sine against ffmpeg's own meter, silence and files that are not audio.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "analysis/analyse.hpp"
#include "analysis/features.hpp"
#include "signals.hpp"

namespace sonique::analysis {
namespace {

class AnalyseTest : public ::testing::Test {
  protected:
    test::SignalDir dir;
};

// A click (a 5 ms burst of 2 kHz, decaying) every `period` seconds, 30 s long.
std::string clicks(double period) {
    std::string p = std::to_string(period);
    return "aevalsrc='0.8*lt(mod(t," + p + "),0.005)*sin(2*PI*2000*t)*exp(-300*mod(t," + p +
           "))':s=44100:d=30";
}

TEST_F(AnalyseTest, ClickTrackAt120BpmHasItsTempo) {
    auto f = analyse_file(dir.make("clicks120.wav", clicks(0.5)));
    EXPECT_NEAR(f.values[kTempoIndex], 120.0, 2.0);
    EXPECT_GT(f.values[kTempoConfidenceIndex], 0.3);
    EXPECT_NEAR(f.values[kOnsetRateIndex], 2.0, 0.3);  // two clicks a second
    EXPECT_NEAR(f.seconds_analysed, 30.0, 0.1);
}

TEST_F(AnalyseTest, ClickTrackAt92BpmIsNotPulledTo120) {
    auto f = analyse_file(dir.make("clicks92.flac", clicks(60.0 / 92)));
    EXPECT_NEAR(f.values[kTempoIndex], 92.0, 2.0);
}

TEST_F(AnalyseTest, ClickTrackAt150BpmIsNotHalved) {
    // 0.4 s is 34.45 hops: the period falls between two lags while its double nearly hits one.
    auto f = analyse_file(dir.make("clicks150.mp3", clicks(0.4)));
    EXPECT_NEAR(f.values[kTempoIndex], 150.0, 2.0);
}

TEST_F(AnalyseTest, AMajorChordIsInAMajor) {
    auto f = analyse_file(dir.make("a_major.wav",
                                   "aevalsrc='0.2*sin(2*PI*220*t)+0.2*sin(2*PI*277.18*t)+0.2*sin(2*"
                                   "PI*329.63*t)':s=44100:d=10"));
    EXPECT_EQ(f.values[kKeyIndex], 9.0f) << pitch_class_name(static_cast<int>(f.values[kKeyIndex]));
    EXPECT_EQ(f.values[kModeIndex], 1.0f);
    EXPECT_GT(f.values[kKeyConfidenceIndex], 0.5f);
}

TEST_F(AnalyseTest, AMinorChordIsInAMinor) {
    auto f = analyse_file(dir.make("a_minor.wav",
                                   "aevalsrc='0.2*sin(2*PI*220*t)+0.2*sin(2*PI*261.63*t)+0.2*sin(2*"
                                   "PI*329.63*t)':s=44100:d=10"));
    EXPECT_EQ(f.values[kKeyIndex], 9.0f);
    EXPECT_EQ(f.values[kModeIndex], 0.0f);
}

TEST_F(AnalyseTest, SineLoudnessMatchesFfmpegsMeter) {
    // Stereo at 48 kHz, 20 dB under full scale: the meter sees the file's own channels and rate.
    std::string file =
        dir.make("sine.flac", "sine=f=997:sample_rate=48000:d=12", "-af volume=6dB -ac 2");
    test::FfmpegLoudness reference = test::ffmpeg_loudness(file);
    auto f = analyse_file(file);
    EXPECT_NEAR(f.values[kIntegratedLoudnessIndex], reference.integrated, 0.5);
    EXPECT_NEAR(f.values[kTruePeakIndex], reference.true_peak, 0.5);
    EXPECT_LT(f.values[kLoudnessRangeIndex], 1.0f);  // a steady tone has no dynamics
    EXPECT_LT(reference.integrated, -10.0);          // the level the test meant: not full scale
}

TEST_F(AnalyseTest, TruePeakFindsThePeakBetweenSamples) {
    // A quarter-rate sine a quarter-cycle off the sample grid: every sample is at 0.354 (-9 dB),
    // the wave between them reaches 0.5 (-6.02 dBTP); a sample-peak meter says -9. (libebur128's
    // meter said -8.9 here, FFmpeg's ebur128 filter says -5.4.)
    std::string file = dir.make("between.wav", "aevalsrc='0.5*sin(2*PI*11025*t+PI/4)':s=44100:d=5");
    auto f = analyse_file(file);
    EXPECT_NEAR(f.values[kTruePeakIndex], -6.02, 0.3);
}

TEST_F(AnalyseTest, SilenceHasTheLoudnessFloorAndNoTempo) {
    auto f = analyse_file(dir.make("silence.wav", "anullsrc=r=44100:cl=mono:d=5", "-t 5"));
    EXPECT_EQ(f.values[kIntegratedLoudnessIndex], kLoudnessFloor);
    EXPECT_EQ(f.values[kTruePeakIndex], kLoudnessFloor);
    EXPECT_EQ(f.values[kTempoIndex], 0.0f);
    for (float v : f.values)
        EXPECT_TRUE(std::isfinite(v));
}

TEST_F(AnalyseTest, ExcerptAnalysesOnlyItsLength) {
    auto f = analyse_file(dir.make("long_clicks.wav", clicks(0.5)), {.excerpt_seconds = 10});
    EXPECT_NEAR(f.seconds_analysed, 10.0, 0.2);
    EXPECT_NEAR(f.values[kTempoIndex], 120.0, 2.0);
}

TEST_F(AnalyseTest, AFileThatIsNotAudioIsRefusedWithAReason) {
    std::string file = dir.path() + "/text.mp3";
    std::ofstream(file) << "this is not audio at all\n";
    EXPECT_THROW(analyse_file(file), AnalysisError);
    EXPECT_THROW(analyse_file(dir.path() + "/missing.flac"), AnalysisError);
}

TEST(FeatureNames, EveryFeatureHasAUniqueName) {
    std::set<std::string_view> names;
    for (size_t i = 0; i < kFeatureCount; ++i)
        EXPECT_TRUE(names.insert(feature_name(i)).second) << i;
    EXPECT_EQ(feature_name(kTempoIndex), "tempo");
    EXPECT_EQ(names.count(""), 0u);
}

}  // namespace
}  // namespace sonique::analysis
