// The values the sonic analysis fills where tags and the API gave none (BPM, key, scale, Camelot
// key, ReplayGain), on a small library of ffmpeg's signals scanned and analysed for real: the
// precedence API > tags > analysis in the Track shape and Subsonic songs, ReplayGain against
// the measured loudness (and ffmpeg's own meter), album gain from the album's tracks.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>

#include "../analysis/signals.hpp"
#include "analysis/runner.hpp"
#include "db/connection.hpp"
#include "services/analysis.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

// A click every 0.5 s (120 BPM), `seconds` long, at `amp`.
std::string clicks(int seconds, double amp = 0.8) {
    return "aevalsrc='" + std::to_string(amp) +
           "*lt(mod(t,0.5),0.005)*sin(2*PI*2000*t)*exp(-300*mod(t,0.5))':s=44100:d=" +
           std::to_string(seconds);
}

// A major triad on A (A3, C#4, E4), each sine at `amp`.
std::string a_major(int seconds, double amp) {
    std::string a = std::to_string(amp);
    return "aevalsrc='" + a + "*sin(2*PI*220*t)+" + a + "*sin(2*PI*277.18*t)+" + a +
           "*sin(2*PI*329.63*t)':s=44100:d=" + std::to_string(seconds);
}

std::string meta(const std::string& title, const std::string& album) {
    return "-metadata title=" + title + " -metadata artist=Signals -metadata album=" + album;
}

class AnalysedValues : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new SignalDir();
        fs::create_directories(root());
        // Untagged: the analysis fills everything. One album of two tracks at different levels
        // and lengths, for its album gain.
        dir_->make("r/pulse.flac", clicks(12),
                   meta("Pulse", "Analysed") +
                       " -metadata MUSICBRAINZ_TRACKID=1b2c3d4e-0000-4000-8000-000000000001");
        dir_->make("r/chord.flac", a_major(20, 0.1), meta("Chord", "Analysed"));
        // Tagged BPM, key and track ReplayGain: the tags win; the album gain (untagged) is
        // the analysis's.
        dir_->make("r/tagged.flac", clicks(12),
                   meta("Tagged", "TaggedAlbum") +
                       " -metadata BPM=99 -metadata INITIALKEY=C#m"
                       " -metadata REPLAYGAIN_TRACK_GAIN=-3.5 -metadata REPLAYGAIN_TRACK_PEAK=0.5");
        // Written through the API before the analysis: the API wins.
        dir_->make("r/api.flac", clicks(12), meta("Api", "ApiAlbum"));
        // Tagged, then the tag removed and the file scanned again.
        dir_->make("r/retag.flac", clicks(12),
                   meta("Retag", "RetagAlbum") +
                       " -metadata BPM=140"
                       " -metadata REPLAYGAIN_TRACK_GAIN=-7.25");
        // Silence: nothing to offer (no tempo, key, loudness or gain).
        dir_->make("r/silence.flac", "anullsrc=r=44100:cl=stereo:d=6", meta("Silence", "Quiet"));
        server_ = new SubsonicServer("analysed_values", false, {root()});
        scan_and_wait(*server_);

        auto res =
            client()->Put("/api/tracks/" + std::to_string(track("Api")) + "/audio-features",
                          R"({"bpm": 77, "key": "D", "scale": "minor"})", "application/json");
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << res->body;
        analyse(false);
    }
    static void TearDownTestSuite() {
        delete server_;
        delete dir_;
    }

    // A run as serve's scheduler makes it, which then bumps the caches of the values it wrote.
    static void analyse(bool full) {
        analysis::RunOptions options;
        options.full = full;
        auto summary = analysis::run_analysis({url(), 0, 5}, options);
        ASSERT_FALSE(summary.busy);
        services::AnalysisService(server_->server().runtime().services()).values_changed();
    }

    static std::string root() { return dir_->path() + "/r"; }
    static std::string url() { return server_->server().database_url(); }
    static std::unique_ptr<httplib::Client> client() { return server_->server().client(); }
    static int64_t track(const std::string& title) {
        db::Connection conn({url(), 0, 5});
        return conn.exec("SELECT id FROM tracks WHERE title = $1", db::Params(title)).int64(0, 0);
    }
    static Json get(const std::string& path) {
        auto res = client()->Get(path);
        EXPECT_TRUE(res);
        if (!res) return Json();
        EXPECT_EQ(res->status, 200) << path << ": " << res->body;
        return body_json(res);
    }
    static Json track_json(const std::string& title) {
        return get("/api/tracks/" + std::to_string(track(title)));
    }
    static Json features(const std::string& title) {
        return get("/api/tracks/" + std::to_string(track(title)) + "/audio-analysis")["features"];
    }
    static Json song(const std::string& title) {
        return server_->json(
            "getSong", as_alice() + Query{{"id", "tr-" + std::to_string(track(title))}})["song"];
    }

    static SignalDir* dir_;
    static SubsonicServer* server_;
};

SignalDir* AnalysedValues::dir_ = nullptr;
SubsonicServer* AnalysedValues::server_ = nullptr;

// The album's loudness as docs/analysis.md defines it: the energy mean of its tracks' loudness
// weighted by duration, again over the tracks at most 10 LU under the first mean.
double album_loudness(const std::vector<std::pair<double, double>>& loudness_and_seconds) {
    auto mean = [&](double gate) {
        double energy = 0, seconds = 0;
        for (auto [l, s] : loudness_and_seconds)
            if (l >= gate) {
                energy += s * std::pow(10.0, l / 10.0);
                seconds += s;
            }
        return 10.0 * std::log10(energy / seconds);
    };
    return mean(mean(-1e9) - 10.0);
}

TEST_F(AnalysedValues, WithoutTagsTheTrackShowsTheAnalysedBpmKeyAndCamelotKey) {
    Json pulse = track_json("Pulse");
    ASSERT_TRUE(pulse["bpm"].is_number()) << pulse.dump();
    EXPECT_NEAR(pulse["bpm"].get<double>(), 120.0, 2.0);

    Json chord = track_json("Chord");
    EXPECT_EQ(chord["key"], "A") << chord.dump();
    EXPECT_EQ(chord["scale"], "major");
    EXPECT_EQ(chord["camelot_key"], "11B");
    // Analysed values are not audio features written by anyone: that route still has none.
    auto res = client()->Get("/api/tracks/" + std::to_string(track("Chord")) + "/audio-features");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);

    // GraphQL reads the same values.
    res = client()->Post("/api/graphql",
                         R"({"query":"{ track(id: )" + std::to_string(track("Chord")) +
                             R"() { key scale camelotKey } }"})",
                         "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json gql = body_json(res)["data"]["track"];
    EXPECT_EQ(gql["key"], "A") << res->body;
    EXPECT_EQ(gql["scale"], "major");
    EXPECT_EQ(gql["camelotKey"], "11B");
}

TEST_F(AnalysedValues, TagsAndApiWritesWinOverTheAnalysisAndAFullRunKeepsThem) {
    for (int run = 0; run < 2; ++run) {
        SCOPED_TRACE(run == 0 ? "first analysis" : "after a full analysis");
        Json tagged = track_json("Tagged");
        EXPECT_EQ(tagged["bpm"], 99.0) << tagged.dump();
        EXPECT_EQ(tagged["key"], "C#");
        EXPECT_EQ(tagged["scale"], "minor");
        EXPECT_EQ(tagged["camelot_key"], "12A");  // computed from the tagged key

        Json api = track_json("Api");
        EXPECT_EQ(api["bpm"], 77.0) << api.dump();
        EXPECT_EQ(api["key"], "D");
        EXPECT_EQ(api["scale"], "minor");
        EXPECT_EQ(api["camelot_key"], "7A");

        Json s = song("Tagged");
        EXPECT_EQ(s["bpm"], 99);
        EXPECT_EQ(s["replayGain"]["trackGain"], -3.5) << s.dump();
        EXPECT_EQ(s["replayGain"]["trackPeak"], 0.5);
        EXPECT_EQ(song("Api")["bpm"], 77);
        if (run == 0) analyse(true);
    }
}

TEST_F(AnalysedValues, ATagRemovedByARescanLetsTheAnalysedValueShowAgain) {
    Json before = track_json("Retag");
    EXPECT_EQ(before["bpm"], 140.0) << before.dump();
    EXPECT_EQ(song("Retag")["replayGain"]["trackGain"], -7.25);
    // The same audio without the BPM tag, a second later than the scanned file.
    std::string file = root() + "/retag.flac";
    auto mtime = fs::last_write_time(file);
    dir_->make("r/retag.flac", clicks(12), meta("Retag", "RetagAlbum"));
    fs::last_write_time(file, mtime + std::chrono::seconds(2));
    scan_and_wait(*server_);
    Json after = track_json("Retag");
    ASSERT_TRUE(after["bpm"].is_number()) << after.dump();
    EXPECT_NEAR(after["bpm"].get<double>(), 120.0, 2.0);
    Json s = song("Retag");
    EXPECT_NEAR(s["bpm"].get<int>(), 120, 2);
    EXPECT_NEAR(s["replayGain"]["trackGain"].get<double>(),
                -18.0 - features("Retag")["integrated_loudness"].get<double>(), 0.011)
        << s.dump();
}

TEST_F(AnalysedValues, ReplayGainComesFromTheMeasuredLoudnessAndTheAlbumsTracks) {
    Json pulse = features("Pulse"), chord = features("Chord");
    double l_pulse = pulse["integrated_loudness"], l_chord = chord["integrated_loudness"];
    ASSERT_GT(std::abs(l_pulse - l_chord), 3.0) << "the test wants two different levels";

    Json s = song("Pulse");
    ASSERT_TRUE(s["replayGain"].is_object()) << s.dump();
    Json rg = s["replayGain"];
    for (const char* k : {"trackGain", "trackPeak", "albumGain", "albumPeak"})
        EXPECT_TRUE(rg[k].is_number()) << k << " in " << rg.dump();
    EXPECT_EQ(rg.size(), 4u) << rg.dump();
    EXPECT_NEAR(rg["trackGain"].get<double>(), -18.0 - l_pulse, 0.011);
    EXPECT_NEAR(rg["trackPeak"].get<double>(),
                std::pow(10.0, pulse["true_peak"].get<double>() / 20.0), 1e-4);
    // Against ffmpeg's own meter, measured here: within half a LU, as the loudness itself.
    FfmpegLoudness reference = ffmpeg_loudness(root() + "/pulse.flac");
    EXPECT_NEAR(rg["trackGain"].get<double>(), -18.0 - reference.integrated, 0.5);

    double d_pulse = track_json("Pulse")["duration"], d_chord = track_json("Chord")["duration"];
    double album = album_loudness({{l_pulse, d_pulse}, {l_chord, d_chord}});
    EXPECT_NEAR(rg["albumGain"].get<double>(), -18.0 - album, 0.02);
    double peak_chord = std::pow(10.0, chord["true_peak"].get<double>() / 20.0);
    EXPECT_NEAR(rg["albumPeak"].get<double>(), std::max(rg["trackPeak"].get<double>(), peak_chord),
                1e-4);
    EXPECT_EQ(song("Chord")["replayGain"]["albumGain"], rg["albumGain"]);

    // The audio-analysis route shows what the analysis offers, before precedence.
    Json values =
        get("/api/tracks/" + std::to_string(track("Pulse")) + "/audio-analysis")["values"];
    EXPECT_NEAR(values["loudness"].get<double>(), l_pulse, 0.006) << values.dump();
    EXPECT_EQ(values["replaygain_track_gain"], rg["trackGain"]);
    EXPECT_EQ(values["replaygain_album_gain"], rg["albumGain"]);
    EXPECT_EQ(values["replaygain_album_peak"], rg["albumPeak"]);
    values = get("/api/tracks/" + std::to_string(track("Tagged")) + "/audio-analysis")["values"];
    EXPECT_NEAR(values["bpm"].get<double>(), 120.0, 2.0) << values.dump();  // the tag shows 99

    // Everything else of the song is untouched.
    EXPECT_EQ(s["musicBrainzId"], "1b2c3d4e-0000-4000-8000-000000000001");
    EXPECT_NEAR(s["bpm"].get<int>(), 120, 2);

    // The tagged track: its tags' track values, the analysis's album values.
    Json tagged = song("Tagged")["replayGain"];
    EXPECT_NEAR(tagged["albumGain"].get<double>(),
                -18.0 - features("Tagged")["integrated_loudness"].get<double>(), 0.011);

    // The REST Track shows the same values as the song, and the analysed loudness.
    Json t = track_json("Pulse");
    EXPECT_NEAR(t["loudness"].get<double>(), l_pulse, 0.006) << t.dump();
    EXPECT_EQ(t["replaygain_track_gain"], rg["trackGain"]);
    EXPECT_EQ(t["replaygain_track_peak"], rg["trackPeak"]);
    EXPECT_EQ(t["replaygain_album_gain"], rg["albumGain"]);
    EXPECT_EQ(t["replaygain_album_peak"], rg["albumPeak"]);
    Json tt = track_json("Tagged");
    EXPECT_EQ(tt["replaygain_track_gain"], tagged["trackGain"]) << tt.dump();
    EXPECT_EQ(tt["replaygain_album_gain"], tagged["albumGain"]);
    // GraphQL's Track shows the same.
    auto res = client()->Post(
        "/api/graphql",
        R"({"query":"{ track(id: )" + std::to_string(track("Pulse")) +
            R"() { loudness replaygainTrackGain replaygainTrackPeak replaygainAlbumGain )"
            R"(replaygainAlbumPeak } }"})",
        "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json g = body_json(res)["data"]["track"];
    EXPECT_EQ(g["loudness"], t["loudness"]) << res->body;
    EXPECT_EQ(g["replaygainTrackGain"], rg["trackGain"]);
    EXPECT_EQ(g["replaygainTrackPeak"], rg["trackPeak"]);
    EXPECT_EQ(g["replaygainAlbumGain"], rg["albumGain"]);
    EXPECT_EQ(g["replaygainAlbumPeak"], rg["albumPeak"]);

    // XML carries the same element.
    XmlNode x =
        server_->xml("getSong", as_alice() + Query{{"id", "tr-" + std::to_string(track("Pulse"))}});
    const XmlNode* xs = x.first(ns("song"));
    ASSERT_TRUE(xs);
    const XmlNode* xrg = xs->first(ns("replayGain"));
    ASSERT_TRUE(xrg);
    EXPECT_NEAR(std::stod(xrg->attrs.at("albumGain")), rg["albumGain"].get<double>(), 1e-9);
}

TEST_F(AnalysedValues, SilenceGetsNoBpmKeyOrReplayGain) {
    ASSERT_TRUE(features("Silence").is_object());  // analysed
    Json t = track_json("Silence");
    for (const char* k : {"bpm", "key", "scale", "camelot_key", "loudness", "replaygain_track_gain",
                          "replaygain_track_peak"})
        EXPECT_TRUE(t[k].is_null()) << k << " in " << t.dump();
    Json s = song("Silence");
    EXPECT_FALSE(s.contains("replayGain")) << s.dump();
    EXPECT_FALSE(s.contains("bpm")) << s.dump();
}

// Last: it removes a track.
TEST_F(AnalysedValues, TheAlbumGainFollowsItsTracksWhenOneIsRemoved) {
    double l_pulse = features("Pulse")["integrated_loudness"];
    auto res = client()->Delete("/api/tracks/" + std::to_string(track("Chord")));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 204);
    analyse(false);  // nothing to analyse; the run's end recomputes every album
    EXPECT_NEAR(song("Pulse")["replayGain"]["albumGain"].get<double>(), -18.0 - l_pulse, 0.011);
}

}  // namespace
}  // namespace sonique::test
