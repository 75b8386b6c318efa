// Similarity by sound on a small library of real decoded audio (ffmpeg's signals, scanned and
// analysed for real): the sonic sets, the REST routes that use them (similar tracks, similar
// artists, the analysis status) and the OpenSubsonic sonicSimilarity methods.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "../analysis/signals.hpp"
#include "analysis/runner.hpp"
#include "db/connection.hpp"
#include "db/lock_keys.hpp"
#include "services/analysis.hpp"
#include "services/sonic_index.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

// Two roots: sines and white noise by artist, so that "sounds alike" has a known answer. Tones
// and Noise live in the first root, Hum, Hiss and Clicks in the second.
class SonicLibrary : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new SignalDir();
        fs::create_directories(root(1));
        fs::create_directories(root(2));
        auto tone = [](int root_no, const std::string& name, int hz, const std::string& artist) {
            dir_->make("r" + std::to_string(root_no) + "/" + name + ".flac",
                       "sine=f=" + std::to_string(hz) + ":d=8",
                       "-metadata title=" + name + " -metadata artist=" + artist +
                           " -metadata album=" + artist + "Album");
        };
        auto noise = [](int root_no, const std::string& name, int seed, double amp,
                        const std::string& artist) {
            dir_->make("r" + std::to_string(root_no) + "/" + name + ".flac",
                       "anoisesrc=c=white:a=" + std::to_string(amp) +
                           ":seed=" + std::to_string(seed) + ":d=8",
                       "-metadata title=" + name + " -metadata artist=" + artist +
                           " -metadata album=" + artist + "Album");
        };
        tone(1, "t440", 440, "Tones");
        tone(1, "t466", 466, "Tones");
        tone(1, "t415", 415, "Tones");
        noise(1, "n1", 1, 0.5, "Noise");
        noise(1, "n2", 2, 0.5, "Noise");
        tone(2, "h392", 392, "Hum");
        tone(2, "h370", 370, "Hum");
        noise(2, "s1", 3, 0.4, "Hiss");
        noise(2, "s2", 4, 0.4, "Hiss");
        dir_->make("r2/c1.flac",
                   "aevalsrc='0.8*lt(mod(t,0.5),0.005)*sin(2*PI*2000*t)*exp(-300*mod(t,0.5))':d=8",
                   "-metadata title=c1 -metadata artist=Clicks -metadata album=ClicksAlbum");
        server_ = new SubsonicServer("sonic", false, {root(1), root(2)});
        scan_and_wait(*server_);
        analysis::RunOptions options;
        auto summary = analysis::run_analysis({url(), 0, 5}, options);
        ASSERT_EQ(summary.analysed, 10);
        sonic().refresh();
        sonic().wait_idle();
    }
    static void TearDownTestSuite() {
        delete server_;
        delete dir_;
    }

    static std::string root(int n) { return dir_->path() + "/r" + std::to_string(n); }
    static std::string url() { return server_->server().database_url(); }
    static services::SonicIndex& sonic() { return *server_->server().runtime().services().sonic; }
    static int64_t id_of(const std::string& sql) {
        db::Connection conn({url(), 0, 5});
        return conn.exec(sql).int64(0, 0);
    }
    static int64_t track(const std::string& title) {
        return id_of("SELECT id FROM tracks WHERE title = '" + title + "'");
    }
    static int64_t artist(const std::string& name) {
        return id_of("SELECT id FROM artists WHERE name = '" + name + "'");
    }
    static Json get(const std::string& path) {
        auto res = server_->server().client()->Get(path);
        EXPECT_TRUE(res);
        if (!res) return Json();
        EXPECT_EQ(res->status, 200) << res->body;
        return body_json(res);
    }

    static SignalDir* dir_;
    static SubsonicServer* server_;
};

SignalDir* SonicLibrary::dir_ = nullptr;
SubsonicServer* SonicLibrary::server_ = nullptr;

bool is_sine(const std::string& artist) {
    return artist == "Tones" || artist == "Hum";
}

TEST_F(SonicLibrary, TheSetsHoldEveryAnalysedTrackArtistAndAlbum) {
    auto s = sonic().status();
    EXPECT_TRUE(s.tracks.ready);
    EXPECT_EQ(s.tracks.size, 10u);
    EXPECT_EQ(s.artists.size, 5u);
    EXPECT_EQ(s.albums.size, 5u);
    auto v = sonic().track_vector(track("t440"));
    ASSERT_TRUE(v);
    double norm = 0;
    for (float x : *v)
        norm += x * x;
    EXPECT_NEAR(norm, 1.0, 1e-4);
    db::Connection conn({url(), 0, 5});
    auto stats = conn.exec("SELECT tracks, cardinality(mean) FROM sonic_stats");
    ASSERT_EQ(stats.rows(), 1);
    EXPECT_EQ(stats.int64(0, 0), 10);
    EXPECT_EQ(stats.int64(0, 1), 64);
}

TEST_F(SonicLibrary, SimilarTracksPreferTheSoundAndCanSkipRepeatedArtists) {
    Json body = get("/api/tracks/" + std::to_string(track("t440")) + "/similar?limit=3");
    EXPECT_EQ(body["source"], "sonic");
    ASSERT_EQ(body["items"].size(), 3u);
    for (const auto& item : body["items"]) {
        EXPECT_TRUE(is_sine(item["artist_name"])) << item.dump();
        EXPECT_NE(item["track_id"], track("t440"));
        EXPECT_EQ(item["embedding_type"], "sonic");
    }
    EXPECT_GE(body["items"][0]["similarity_score"].get<double>(),
              body["items"][2]["similarity_score"].get<double>());

    body = get("/api/tracks/" + std::to_string(track("n1")) +
               "/similar?limit=10&distinct_artists=true");
    std::set<std::string> artists;
    for (const auto& item : body["items"])
        EXPECT_TRUE(artists.insert(item["artist_name"].get<std::string>()).second) << body.dump();
    EXPECT_EQ(artists.size(), 5u);  // Noise's other track counts as one artist, as the rest
    EXPECT_EQ(body["items"][0]["artist_name"], "Noise");
}

TEST_F(SonicLibrary, SimilarArtistsMergeTheSoundWithStoredRowsOnePerArtist) {
    std::string path = "/api/artists/" + std::to_string(artist("Hum")) + "/similar?limit=10";
    Json body = get(path);
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body[0]["source"], "sonic");
    EXPECT_EQ(body[0]["similar_artist_name"], "Tones");
    EXPECT_TRUE(body[0]["id"].is_null());
    // A stored relation wins over the computed one for the same artist: one row each.
    auto res = server_->server().client()->Post(
        "/api/artists/" + std::to_string(artist("Hum")) + "/similar",
        Json{{"similar_artist_id", artist("Hiss")}, {"weight", 1.0}, {"source", "lastfm"}}.dump(),
        "application/json");
    ASSERT_TRUE(res);
    ASSERT_LT(res->status, 300) << res->body;
    body = get(path);
    ASSERT_FALSE(body.empty());
    EXPECT_EQ(body[0]["similar_artist_name"], "Hiss");
    EXPECT_EQ(body[0]["source"], "lastfm");
    std::set<int64_t> seen;
    bool tones = false;
    for (const auto& row : body) {
        EXPECT_TRUE(seen.insert(row["similar_artist_id"].get<int64_t>()).second) << body.dump();
        tones = tones || (row["similar_artist_name"] == "Tones" && row["source"] == "sonic");
    }
    EXPECT_TRUE(tones) << body.dump();
    for (size_t i = 1; i < body.size(); ++i)
        EXPECT_GE(body[i - 1]["weight"].get<double>(), body[i]["weight"].get<double>());
}

TEST_F(SonicLibrary, GetSonicSimilarTracksAnswersMatchesInTheUsersFolders) {
    std::string id = "tr-" + std::to_string(track("t440"));
    Json r = server_->json("getSonicSimilarTracks", as_admin() + Query{{"id", id}, {"count", "3"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    ASSERT_EQ(r["sonicMatch"].size(), 3u);
    double last = 2;
    for (const auto& m : r["sonicMatch"]) {
        EXPECT_TRUE(is_sine(m["entry"]["artist"])) << m.dump();
        EXPECT_NE(m["entry"]["id"], id);
        double s = m["similarity"].get<double>();
        EXPECT_GE(s, 0.0);
        EXPECT_LE(s, 1.0);
        EXPECT_LE(s, last);
        last = s;
    }
    // A user who may see the second folder only: Hum's sines, never the first root's songs, and
    // a song of the first root is not found.
    Json u = server_->json("updateUser",
                           as_admin() + Query{{"username", kUserName}, {"musicFolderId", "2"}});
    ASSERT_EQ(u["status"], "ok") << u.dump();
    r = server_->json("getSonicSimilarTracks", as_alice() + Query{{"id", id}, {"count", "10"}});
    EXPECT_EQ(r["error"]["code"], 70) << r.dump();
    std::string hum = "tr-" + std::to_string(track("h392"));
    r = server_->json("getSonicSimilarTracks", as_alice() + Query{{"id", hum}, {"count", "10"}});
    ASSERT_EQ(r["sonicMatch"].size(), 4u) << r.dump();
    EXPECT_EQ(r["sonicMatch"][0]["entry"]["artist"], "Hum");
    for (const auto& m : r["sonicMatch"]) {
        EXPECT_NE(m["entry"]["artist"], "Tones");
        EXPECT_NE(m["entry"]["artist"], "Noise");
    }
    r = server_->json("findSonicPath",
                      as_alice() + Query{{"startSongId", hum},
                                         {"endSongId", "tr-" + std::to_string(track("s1"))}});
    ASSERT_GE(r["sonicMatch"].size(), 2u) << r.dump();
    for (const auto& m : r["sonicMatch"]) {
        EXPECT_NE(m["entry"]["artist"], "Tones") << r.dump();
        EXPECT_NE(m["entry"]["artist"], "Noise") << r.dump();
    }
    // Unknown and malformed ids.
    r = server_->json("getSonicSimilarTracks", as_admin() + Query{{"id", "tr-999999"}});
    EXPECT_EQ(r["error"]["code"], 70);
    r = server_->json("getSonicSimilarTracks", as_admin() + Query{{"id", "ar-1"}});
    EXPECT_EQ(r["error"]["code"], 70);
    r = server_->json("getSonicSimilarTracks", as_admin());
    EXPECT_EQ(r["error"]["code"], 10);
    XmlNode x =
        server_->xml("getSonicSimilarTracks", as_admin() + Query{{"id", id}, {"count", "2"}});
    auto matches = x.all(ns("sonicMatch"));
    ASSERT_EQ(matches.size(), 2u);
    EXPECT_TRUE(matches[0]->attrs.count("similarity"));
    ASSERT_NE(matches[0]->first(ns("entry")), nullptr);
}

TEST_F(SonicLibrary, FindSonicPathGoesFromTheStartToTheEndWithoutRepeats) {
    std::string from = "tr-" + std::to_string(track("t440")),
                to = "tr-" + std::to_string(track("s1"));
    Json r =
        server_->json("findSonicPath",
                      as_admin() + Query{{"startSongId", from}, {"endSongId", to}, {"count", "5"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& path = r["sonicMatch"];
    ASSERT_GE(path.size(), 3u);
    ASSERT_LE(path.size(), 5u);
    EXPECT_EQ(path.front()["entry"]["id"], from);
    EXPECT_EQ(path.back()["entry"]["id"], to);
    EXPECT_EQ(path.front()["similarity"], 1.0);
    std::set<std::string> ids;
    for (const auto& m : path)
        EXPECT_TRUE(ids.insert(m["entry"]["id"].get<std::string>()).second) << r.dump();
    // Smooth: the song after the start still sounds like it (a sine), the one before the end
    // like the end (noise).
    EXPECT_TRUE(is_sine(path[1]["entry"]["artist"])) << r.dump();
    EXPECT_FALSE(is_sine(path[path.size() - 2]["entry"]["artist"])) << r.dump();
    r = server_->json("findSonicPath",
                      as_admin() + Query{{"startSongId", from}, {"endSongId", "tr-999999"}});
    EXPECT_EQ(r["error"]["code"], 70);
    r = server_->json("findSonicPath", as_admin() + Query{{"startSongId", from}});
    EXPECT_EQ(r["error"]["code"], 10);
}

TEST_F(SonicLibrary, SimilarSongsAndArtistInfoUseTheSoundWhenNothingIsStored) {
    std::string id = "tr-" + std::to_string(track("h370"));
    Json r = server_->json("getSimilarSongs2", as_admin() + Query{{"id", id}, {"count", "3"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    ASSERT_EQ(r["similarSongs2"]["song"].size(), 3u);
    for (const auto& s : r["similarSongs2"]["song"]) {
        EXPECT_TRUE(is_sine(s["artist"])) << s.dump();
        EXPECT_NE(s["id"], id);
    }
    // Tones has no stored relation: its similar artists come from the sound.
    r = server_->json("getArtistInfo2",
                      as_admin() + Query{{"id", "ar-" + std::to_string(artist("Tones"))}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    ASSERT_FALSE(r["artistInfo2"]["similarArtist"].empty()) << r.dump();
    EXPECT_EQ(r["artistInfo2"]["similarArtist"][0]["name"], "Hum");
}

TEST_F(SonicLibrary, TheStatusRouteCountsTheLibraryAndTheLastRun) {
    Json s = get("/api/analysis/status");
    EXPECT_EQ(s["running"], false);
    EXPECT_EQ(s["tracks"].get<int64_t>(),
              s["analysed"].get<int64_t>() + s["failures"].get<int64_t>());
    EXPECT_EQ(s["outdated"], 0);
    EXPECT_TRUE(s["sonic_index"]["tracks"]["ready"].get<bool>());
    EXPECT_EQ(s["sonic_index"]["tracks"]["size"], s["analysed"]);

    services::AnalysisService svc(server_->server().runtime().services());
    services::AnalysisService::Progress p;
    p.total = 40;
    p.done = 10;
    p.analysed = 9;
    p.failed = 1;
    p.remaining_s = 30;
    svc.record_progress("analysis-test-1", "running", p);
    // A run that says running while nobody holds the lock was killed.
    s = get("/api/analysis/status");
    EXPECT_EQ(s["task"]["task_id"], "analysis-test-1");
    EXPECT_EQ(s["task"]["status"], "interrupted");
    EXPECT_EQ(s["task"]["done"], 10);
    EXPECT_EQ(s["task"]["failed"], 1);
    EXPECT_EQ(s["task"]["remaining_s"], 30.0);
    db::Connection holder({url(), 0, 5});
    holder.exec("SELECT pg_advisory_lock($1)", db::Params(db::lock_keys::kAnalysis));
    s = get("/api/analysis/status");
    EXPECT_EQ(s["running"], true);
    EXPECT_EQ(s["task"]["status"], "running");
    holder.exec("SELECT pg_advisory_unlock($1)", db::Params(db::lock_keys::kAnalysis));
    svc.record_progress("analysis-test-1", "completed", p);
    EXPECT_EQ(get("/api/analysis/status")["task"]["status"], "completed");
}

// Last: it changes the library. A new track joins the set without a rebuild; a removed one
// leaves it (by a rebuild).
TEST_F(SonicLibrary, NewTracksJoinIncrementallyAndRemovedOnesLeave) {
    auto before = sonic().status().tracks;
    dir_->make("r1/t494.flac", "sine=f=494:d=8",
               "-metadata title=t494 -metadata artist=Tones -metadata album=TonesAlbum");
    scan_and_wait(*server_);
    analysis::RunOptions options;
    ASSERT_EQ(analysis::run_analysis({url(), 0, 5}, options).analysed, 1);
    sonic().refresh();
    sonic().wait_idle();
    auto after = sonic().status().tracks;
    EXPECT_EQ(after.size, 11u);
    EXPECT_EQ(after.catch_ups, before.catch_ups + 1);
    EXPECT_EQ(after.rebuilds, before.rebuilds);
    auto hits = sonic().similar_tracks(track("t466"), 10);
    ASSERT_TRUE(hits);
    bool found = false;
    for (const auto& h : *hits)
        found = found || h.id == track("t494");
    EXPECT_TRUE(found);

    int64_t gone = track("n2");
    {
        db::Connection conn({url(), 0, 5});
        conn.exec("DELETE FROM tracks WHERE id = $1", db::Params(gone));
    }
    sonic().refresh();
    sonic().wait_idle();
    after = sonic().status().tracks;
    EXPECT_EQ(after.size, 10u);
    EXPECT_EQ(after.rebuilds, before.rebuilds + 1);
    EXPECT_FALSE(sonic().track_vector(gone));
}

}  // namespace
}  // namespace sonique::test
