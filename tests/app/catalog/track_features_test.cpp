// Audio features through /api/tracks/{id}/audio-features and track writes, against a real
// server, PostgreSQL and Redis (api-contract.md §6): lifecycle, concurrent creations, the scan's
// rows.
#include <latch>
#include <thread>

#include "catalog_support.hpp"
#include "db/connection.hpp"

namespace sonique::test {
namespace {

class TrackFeatures : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_track_features");
        auto c = server_->client();
        artist_ = make_artist(*c, "Features Owner");
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    static int64_t artist_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* TrackFeatures::server_ = nullptr;
int64_t TrackFeatures::artist_ = 0;

// Features a scan read from tags (from_tags) become the API's once written through it, so that
// the next scan of the file never replaces or removes an analyser's figures (migration 0009).
TEST_F(TrackFeatures, FeaturesWrittenThroughTheApiAreNoLongerTheScans) {
    db::Connection conn({server_->database_url()});
    auto from_tags = [&](int64_t id) {
        return conn.exec("SELECT from_tags FROM audio_features WHERE track_id = $1", db::Params(id))
            .boolean(0, 0);
    };
    int64_t a = make_track(*c_, "Scanned A", "/m/t/scanned-a.flac", artist_);
    int64_t b = make_track(*c_, "Scanned B", "/m/t/scanned-b.flac", artist_);
    conn.exec(
        "INSERT INTO audio_features (track_id, bpm, from_tags) VALUES ($1, 100, true), "
        "($2, 100, true)",
        db::Params(a, b));
    ASSERT_TRUE(from_tags(a));
    EXPECT_EQ(
        put(*c_, "/api/tracks/" + std::to_string(a) + "/audio-features", {{"danceability", 0.7}})
            .status,
        200);
    EXPECT_FALSE(from_tags(a));
    EXPECT_EQ(put(*c_, "/api/tracks/" + std::to_string(b), {{"bpm", 101}}).status, 200);
    EXPECT_FALSE(from_tags(b));
}

// A track write whose features row is created by another transaction meanwhile (invisible to
// its UPDATE, conflicting with its INSERT) merges into that row instead of losing its values.
TEST_F(TrackFeatures, TrackWriteMergesIntoFeaturesCreatedMeanwhile) {
    int64_t id = make_track(*c_, "Raced", "/m/t/raced.flac", artist_);
    db::Connection other({server_->database_url()});
    db::Connection watch({server_->database_url()});
    other.exec("BEGIN");
    other.exec("INSERT INTO audio_features (track_id, key, scale) VALUES ($1, 'C', 'minor')",
               db::Params(id));
    std::thread writer([&] {
        auto c = server_->client();
        EXPECT_EQ(
            put(*c, "/api/tracks/" + std::to_string(id), {{"bpm", 99}, {"scale", nullptr}}).status,
            200);
    });
    // The write waits on the uncommitted row: the race is really happening.
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i) {
        waiting = watch
                      .exec(
                          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = "
                          "'Lock' AND query LIKE '%audio_features%'")
                      .int64(0, 0) > 0;
        if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(waiting);
    other.exec("COMMIT");
    writer.join();
    auto r = watch.exec("SELECT bpm, key, scale IS NULL FROM audio_features WHERE track_id = $1",
                        db::Params(id));
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.str(0, 0), "99");
    EXPECT_EQ(r.str(0, 1), "C");   // not given: kept
    EXPECT_TRUE(r.boolean(0, 2));  // given as null: cleared
}

TEST_F(TrackFeatures, AudioFeaturesLifecycleAndEmbedding) {
    int64_t id = make_track(*c_, "Featured", "/m/t/features.flac", artist_);
    std::string path = "/api/tracks/" + std::to_string(id) + "/audio-features";
    auto none = get(*c_, path);
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(none.json, Json({{"detail", "Caractéristiques audio non trouvées"}}));
    EXPECT_EQ(del(*c_, path).status, 404);
    auto created = post(*c_, path,
                        {{"bpm", 120.5},
                         {"key", "C"},
                         {"scale", "major"},
                         {"danceability", 0.8},
                         {"track_id", id}});
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json["track_id"], id);
    EXPECT_DOUBLE_EQ(created.json["bpm"].get<double>(), 120.5);
    auto again = post(*c_, path, {{"bpm", 100}});
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(again.json,
              Json({{"detail", "Les caractéristiques audio existent déjà pour cette piste"}}));
    auto mismatch = put(*c_, path, {{"track_id", id + 1000}, {"bpm", 1}});
    EXPECT_EQ(mismatch.status, 400);
    EXPECT_EQ(post(*c_, path, {{"bpm", "fast"}}).status, 422);
    auto up = put(*c_, path, {{"mood_happy", 0.25}, {"camelot_key", "8B"}});
    ASSERT_EQ(up.status, 200);
    EXPECT_DOUBLE_EQ(up.json["bpm"].get<double>(), 120.5);
    EXPECT_EQ(up.json["camelot_key"], "8B");
    EXPECT_EQ(get(*c_, path).json["camelot_key"], "8B");
    auto track = get(*c_, "/api/tracks/" + std::to_string(id));
    EXPECT_DOUBLE_EQ(track.json["bpm"].get<double>(), 120.5);
    EXPECT_EQ(track.json["key"], "C");
    EXPECT_DOUBLE_EQ(track.json["mood_happy"].get<double>(), 0.25);
    EXPECT_EQ(del(*c_, path).status, 204);
    EXPECT_TRUE(get(*c_, "/api/tracks/" + std::to_string(id)).json["bpm"].is_null());
    auto missing = post(*c_, "/api/tracks/999999/audio-features", {{"bpm", 1}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json, Json({{"detail", "Piste non trouvée"}}));
    EXPECT_EQ(get(*c_, "/api/tracks/999999/audio-features").status, 404);
    EXPECT_EQ(
        post(*c_, "/api/tracks/" + std::to_string(id) + "/audio-features", {{"track_id", id + 1}})
            .status,
        400);
}

TEST_F(TrackFeatures, ConcurrentAudioFeatureCreationsHaveOneWinner) {
    constexpr int kThreads = 20;
    for (int round = 0; round < 3; ++round) {
        int64_t id = make_track(*c_, "Raced " + std::to_string(round),
                                "/m/t/raced" + std::to_string(round) + ".flac", artist_);
        std::string path = "/api/tracks/" + std::to_string(id) + "/audio-features";
        std::vector<Reply> out(kThreads);
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int k = 0; k < kThreads; ++k)
            threads.emplace_back([&, k] {
                auto c = server_->client();
                start.arrive_and_wait();
                out[k] = post(*c, path, {{"bpm", 100 + k}});
            });
        for (auto& t : threads)
            t.join();
        int created = 0;
        double winner_bpm = 0;
        for (const auto& r : out) {
            if (r.status == 201) {
                ++created;
                winner_bpm = r.json["bpm"].get<double>();
                continue;
            }
            EXPECT_EQ(r.status, 400) << r.body;
            EXPECT_EQ(
                r.json,
                Json({{"detail", "Les caractéristiques audio existent déjà pour cette piste"}}));
        }
        EXPECT_EQ(created, 1) << "round " << round;
        auto stored = get(*c_, path);
        ASSERT_EQ(stored.status, 200) << stored.body;
        EXPECT_DOUBLE_EQ(stored.json["bpm"].get<double>(), winner_bpm);
    }
}

}  // namespace
}  // namespace sonique::test
