// services::AnalysedValuesRefresh: an analysis run's stored batches empty the caches at most once
// per window, and every value a run stored is visible through the API after its run (the Track
// shape, cached by GET /api/tracks/{id}, shows the analysed BPM). The rows stand for what the
// analysis stores (analysed_track_values); the run's own wiring is in app/analysis_scheduler.cpp.

#include <chrono>
#include <thread>

#include "catalog_support.hpp"
#include "db/connection.hpp"
#include "services/analysis.hpp"

namespace sonique::test {
namespace {

using namespace std::chrono_literals;

class AnalysedRefresh : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_analysed_refresh");
        auto c = server_->client();
        artist_ = make_artist(*c, "Refresh Artist");
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }

    // A new track whose Track shape is cached without an analysed BPM.
    int64_t cached_track() {
        ++made_;
        int64_t id = make_track(*c_, "Refresh " + std::to_string(made_),
                                "/m/refresh/" + std::to_string(made_) + ".flac", artist_);
        EXPECT_TRUE(bpm(id).is_null());
        return id;
    }
    // What an analysis batch stores for the track.
    void store(int64_t id) {
        db::Connection conn({server_->database_url()});
        conn.exec("INSERT INTO analysed_track_values (track_id, bpm) VALUES ($1, 120)",
                  db::Params(id));
    }
    Json bpm(int64_t id) { return get(*c_, "/api/tracks/" + std::to_string(id)).json["bpm"]; }
    services::ServiceContext& services() { return server_->runtime().services(); }

    static TestServer* server_;
    static int64_t artist_;
    static int made_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* AnalysedRefresh::server_ = nullptr;
int64_t AnalysedRefresh::artist_ = 0;
int AnalysedRefresh::made_ = 0;

TEST_F(AnalysedRefresh, FirstBatchShowsAtOnceLaterOnesAtTheRunsEnd) {
    int64_t a = cached_track(), b = cached_track(), c = cached_track();
    services::AnalysedValuesRefresh refresh(services(), 1h);
    store(a);
    refresh.stored(1);
    EXPECT_EQ(bpm(a), 120.0) << "the run's first values show at once";
    EXPECT_TRUE(bpm(b).is_null());  // cached again after the bump
    store(b);
    refresh.stored(2);
    store(c);
    refresh.stored(3);
    // Within the window the caches are left alone: b's cached shape is still the old one.
    EXPECT_TRUE(bpm(b).is_null());
    EXPECT_EQ(refresh.bumps(), 1);
    refresh.finish(3);
    EXPECT_EQ(bpm(b), 120.0);
    EXPECT_EQ(bpm(c), 120.0);
    EXPECT_EQ(refresh.bumps(), 2);
}

TEST_F(AnalysedRefresh, ABatchAfterTheWindowShowsWithoutWaitingForTheEnd) {
    int64_t a = cached_track(), b = cached_track();
    services::AnalysedValuesRefresh refresh(services(), 100ms);
    store(a);
    refresh.stored(1);
    EXPECT_TRUE(bpm(b).is_null());  // cached again after the bump
    store(b);
    std::this_thread::sleep_for(150ms);
    refresh.stored(2);
    EXPECT_EQ(bpm(b), 120.0);
    EXPECT_EQ(refresh.bumps(), 2);
    // Nothing new since: neither a batch without values nor the end empties the caches again.
    refresh.stored(2);
    refresh.finish(2);
    EXPECT_EQ(refresh.bumps(), 2);
}

TEST_F(AnalysedRefresh, ARunThatWroteNothingLeavesTheCaches) {
    int64_t a = cached_track();
    services::AnalysedValuesRefresh refresh(services(), 0ms);
    refresh.stored(0);
    refresh.finish(0);
    EXPECT_EQ(refresh.bumps(), 0);
    store(a);  // written behind the service's back: the cached shape stays until a bump
    EXPECT_TRUE(bpm(a).is_null());
    refresh.finish(1);
    EXPECT_EQ(bpm(a), 120.0);
}

}  // namespace
}  // namespace sonique::test
