// Two servers on one PostgreSQL and one Redis (docs/search.md, "Several servers"): a vector
// posted to one is found by a query on the other, through a Redis notification applied
// incrementally; with Redis stopped they still converge (by generations), and once Redis is
// back the subscriber has reconnected: changes are applied incrementally again.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "catalog_support.hpp"
#include "support/instances.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono;

class TwoServers : public ::testing::Test {
  protected:
    TwoServers() {
        std::string prefix = "vs" + unique_suffix() + ":";
        auto shared = [&](Config& c) {
            c.redis_url = redis_.url();
            c.redis = parse_redis_url(c.redis_url);
            c.redis_prefix = prefix;
        };
        a_ = std::make_unique<TestServer>("vector_sync", shared);
        b_ = std::make_unique<TestServer>("vector_sync", [&](Config& c) {
            shared(c);
            c.database_url = a_->database_url();
        });
        auto c = a_->client();
        int64_t artist = make_artist(*c, "Artist");
        for (int i = 0; i < 40; ++i)
            tracks_.push_back(
                make_track(*c, "Song " + std::to_string(i), "/m/v" + std::to_string(i), artist));
    }

    // Track i's vector: mostly along axis i of 40, so that it is its own best match.
    static Json axis(int i) {
        Json v = Json::array();
        for (int d = 0; d < 40; ++d)
            v.push_back(d == i ? 1.0 : 0.01);
        return v;
    }
    Reply post_vector(TestServer& s, int i) {
        return post(*s.client(), "/api/tracks/" + std::to_string(tracks_[i]) + "/embeddings",
                    {{"embedding_type", "sync"}, {"vector", axis(i)}});
    }
    // The best hit of server s for track i's vector, and which index answered.
    std::pair<int64_t, std::string> best(TestServer& s, int i) {
        Reply r = post(*s.client(), "/api/embeddings/search",
                       {{"embedding_type", "sync"}, {"query_vector", axis(i)}, {"limit", 1}});
        if (r.status != 200 || !r.json.is_array() || r.json.empty()) return {-1, ""};
        return {r.json[0]["track_id"].get<int64_t>(), r.header("X-Sonique-Index")};
    }
    // Polls until s's index answers track i best; returns how long it took (or `limit`).
    milliseconds until_found(TestServer& s, int i, milliseconds limit) {
        auto start = steady_clock::now();
        while (steady_clock::now() - start < limit) {
            auto [id, index] = best(s, i);
            if (id == tracks_[i] && index == "faiss")
                return duration_cast<milliseconds>(steady_clock::now() - start);
            std::this_thread::sleep_for(20ms);
        }
        return limit;
    }
    // The "sync" set's status as server s reports it.
    Json index_status(TestServer& s) {
        Reply r = get(*s.client(), "/api/embeddings/statistics");
        for (const auto& i : r.json["indexes"])
            if (i["embedding_type"] == "sync") return i;
        return Json();
    }

    PrivateRedis redis_;
    std::unique_ptr<TestServer> a_, b_;
    std::vector<int64_t> tracks_;
};

TEST_F(TwoServers, AVectorPostedToOneIsFoundOnTheOtherThroughRedis) {
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(post_vector(*a_, i).status, 201);
    // B opens the set (from the database) and answers from its index.
    ASSERT_LT(until_found(*b_, 0, 10s), 10s);
    int applied = index_status(*b_)["remote_applied"].get<int>();
    int rebuilds = index_status(*b_)["rebuilds"].get<int>();
    // Each new vector reaches B well before its 2-second generation check could have found it,
    // and B applied it without reloading the set.
    for (int i = 5; i < 10; ++i) {
        ASSERT_EQ(post_vector(*a_, i).status, 201);
        EXPECT_LT(until_found(*b_, i, 10s), 1500ms) << "vector " << i;
    }
    Json status = index_status(*b_);
    EXPECT_EQ(status["remote_applied"].get<int>(), applied + 5) << status;
    EXPECT_EQ(status["rebuilds"].get<int>(), rebuilds) << status;
    // A delete on B leaves A's answers the same way.
    ASSERT_LT(until_found(*a_, 7, 10s), 10s);
    ASSERT_EQ(
        del(*b_->client(), "/api/tracks/" + std::to_string(tracks_[7]) + "/embeddings/sync").status,
        204);
    auto start = steady_clock::now();
    while (best(*a_, 7).first == tracks_[7] && steady_clock::now() - start < 10s)
        std::this_thread::sleep_for(20ms);
    EXPECT_NE(best(*a_, 7).first, tracks_[7]);
    EXPECT_LT(steady_clock::now() - start, 1500ms);
}

TEST_F(TwoServers, TheyConvergeWithRedisStoppedAndTheSubscriberReconnects) {
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(post_vector(*a_, i).status, 201);
    ASSERT_LT(until_found(*b_, 0, 10s), 10s);
    ASSERT_LT(until_found(*a_, 0, 10s), 10s);

    redis_.stop();
    // Without Redis, B catches up by comparing generations (every 2 s): bounded, not at once.
    for (int i = 5; i < 8; ++i) {
        ASSERT_EQ(post_vector(*a_, i).status, 201);
        EXPECT_LT(until_found(*b_, i, 15s), 15s) << "vector " << i << " with Redis down";
    }
    ASSERT_EQ(post_vector(*b_, 8).status, 201);
    EXPECT_LT(until_found(*a_, 8, 15s), 15s) << "the other way round, Redis down";

    redis_.start();
    // Once B's subscriber is back, a vector posted to A is applied incrementally by B again
    // (the generation check would have reloaded the set instead): the subscriber reconnected.
    int before = index_status(*b_)["remote_applied"].get<int>();
    bool incremental = false;
    for (int i = 10; i < 40 && !incremental; ++i) {
        ASSERT_EQ(post_vector(*a_, i).status, 201);
        EXPECT_LT(until_found(*b_, i, 15s), 15s) << "vector " << i << " after the restart";
        incremental = index_status(*b_)["remote_applied"].get<int>() > before;
        if (!incremental) std::this_thread::sleep_for(500ms);
    }
    EXPECT_TRUE(incremental) << "B never applied a change from Redis after the restart";
    // And both answer the same for every vector posted.
    for (int i : {0, 5, 6, 7, 8}) {
        EXPECT_EQ(best(*a_, i).first, tracks_[i]) << i;
        EXPECT_EQ(best(*b_, i).first, tracks_[i]) << i;
    }
}

}  // namespace
}  // namespace sonique::test
