// /api/playqueue: the contract, and concurrent edits that must not lose or duplicate items.
#include <gtest/gtest.h>

#include <atomic>
#include <iostream>
#include <random>
#include <set>
#include <thread>

#include "media_support.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

class PlayQueueApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("playqueue", [](Config& c) {
            c.db_pool_size = 8;
            c.db_acquire_timeout_ms = 10000;
            c.http_threads = 24;
        });
        auto conn = connect(server_->database_url());
        int64_t artist = insert_artist(conn, "Queue Artist");
        for (int i = 0; i < 60; ++i)
            tracks_.push_back(insert_track(conn, "T" + std::to_string(i),
                                           "/q/" + std::to_string(i) + ".mp3", artist));
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { ASSERT_EQ(server_->client()->Delete("/api/playqueue/")->status, 200); }

    static Json add(int64_t id) {
        return body_json(server_->client()->Post("/api/playqueue/tracks", Json{{"id", id}}.dump(),
                                                 "application/json"));
    }
    static std::vector<int64_t> ids(const Json& queue) {
        std::vector<int64_t> out;
        for (const auto& t : queue["tracks"])
            out.push_back(t["id"].get<int64_t>());
        return out;
    }
    static void expect_contiguous(const Json& queue) {
        int64_t expected = 0;
        for (const auto& t : queue["tracks"])
            EXPECT_EQ(t["position"], expected++);
    }
    static TestServer* server_;
    static std::vector<int64_t> tracks_;
};
TestServer* PlayQueueApi::server_ = nullptr;
std::vector<int64_t> PlayQueueApi::tracks_;

TEST_F(PlayQueueApi, EmptyQueueShape) {
    auto res = server_->client()->Get("/api/playqueue/");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Json q = body_json(res);
    EXPECT_EQ(q["tracks"], Json::array());
    EXPECT_TRUE(q.contains("current_position"));
    EXPECT_TRUE(q["last_updated"].is_string());
}

TEST_F(PlayQueueApi, AddAppendsIgnoresDuplicatesAndShowsTrackFields) {
    add(tracks_[0]);
    add(tracks_[1]);
    Json q = add(tracks_[0]);
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[0], tracks_[1]}));
    expect_contiguous(q);
    const Json& first = q["tracks"][0];
    EXPECT_EQ(first["title"], "T0");
    EXPECT_EQ(first["artist"], "Queue Artist");
    EXPECT_EQ(first["path"], "/q/0.mp3");
    EXPECT_EQ(first["duration"], 180);
    EXPECT_TRUE(first.contains("album"));
}

TEST_F(PlayQueueApi, AddErrors) {
    auto c = server_->client();
    auto unknown = c->Post("/api/playqueue/tracks", R"({"id": 99999999})", "application/json");
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(body_json(unknown)["detail"], "Piste non trouvée");
    for (const char* body : {"{}", R"({"id":"abc"})", "nope", "[]", R"({"id":1.5})"})
        EXPECT_EQ(c->Post("/api/playqueue/tracks", body, "application/json")->status, 422) << body;
}

TEST_F(PlayQueueApi, IdsAndPositionsAreReadLikeEveryOtherBodysIntegers) {
    auto c = server_->client();
    auto post = [&](const std::string& path, const Json& body) {
        return c->Post(path, body.dump(), "application/json");
    };
    auto res = post("/api/playqueue/tracks", {{"id", std::to_string(tracks_[0])}});
    ASSERT_EQ(res->status, 200) << res->body;
    res = post("/api/playqueue/tracks", {{"id", static_cast<double>(tracks_[1])}});
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(ids(body_json(res)), (std::vector<int64_t>{tracks_[0], tracks_[1]}));
    res = post("/api/playqueue/tracks/move",
               {{"track_id", std::to_string(tracks_[1])}, {"new_position", "0"}});
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(ids(body_json(res)), (std::vector<int64_t>{tracks_[1], tracks_[0]}));
    res = post("/api/playqueue/tracks/move",
               {{"track_id", static_cast<double>(tracks_[1])}, {"new_position", 1.0}});
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(ids(body_json(res)), (std::vector<int64_t>{tracks_[0], tracks_[1]}));

    res = post("/api/playqueue/tracks", {{"id", "abc"}});
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(body_json(res)["detail"][0]["type"], "int_parsing");
    res = post("/api/playqueue/tracks", {{"id", 1.5}});
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(body_json(res)["detail"][0]["type"], "int_from_float");
    // Both problems of a move in one answer.
    res = post("/api/playqueue/tracks/move", {{"track_id", "a"}, {"new_position", -1}});
    EXPECT_EQ(res->status, 422);
    Json detail = body_json(res)["detail"];
    ASSERT_EQ(detail.size(), 2u) << res->body;
    EXPECT_EQ(detail[0]["loc"], Json({"body", "track_id"}));
    EXPECT_EQ(detail[1]["loc"], Json({"body", "new_position"}));
    EXPECT_EQ(detail[1]["type"], "greater_than_equal");
}

TEST_F(PlayQueueApi, RemoveRenumbers) {
    for (int i = 0; i < 4; ++i)
        add(tracks_[i]);
    auto res = server_->client()->Delete("/api/playqueue/tracks/" + std::to_string(tracks_[1]));
    ASSERT_EQ(res->status, 200);
    Json q = body_json(res);
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[0], tracks_[2], tracks_[3]}));
    expect_contiguous(q);
    EXPECT_EQ(server_->client()->Delete("/api/playqueue/tracks/x")->status, 422);
    EXPECT_EQ(server_->client()->Delete("/api/playqueue/tracks/99999999")->status, 200);
}

TEST_F(PlayQueueApi, MoveAndItsErrors) {
    for (int i = 0; i < 4; ++i)
        add(tracks_[i]);
    auto c = server_->client();
    auto move = [&](const Json& body) {
        return c->Post("/api/playqueue/tracks/move", body.dump(), "application/json");
    };
    Json q = body_json(move({{"track_id", tracks_[3]}, {"new_position", 0}}));
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[3], tracks_[0], tracks_[1], tracks_[2]}));
    expect_contiguous(q);
    q = body_json(move({{"track_id", tracks_[3]}, {"new_position", 2}}));
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[0], tracks_[1], tracks_[3], tracks_[2]}));
    q = body_json(move({{"track_id", tracks_[0]}, {"new_position", 99}}));
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[1], tracks_[3], tracks_[2], tracks_[0]}));
    expect_contiguous(q);

    auto missing = move({{"track_id", tracks_[0]}});
    EXPECT_EQ(missing->status, 400);
    EXPECT_EQ(body_json(missing)["detail"], "Nouvelle position requise");
    EXPECT_EQ(move({{"track_id", tracks_[9]}, {"new_position", 0}})->status, 400);
    EXPECT_EQ(move({{"track_id", tracks_[0]}, {"new_position", -1}})->status, 422);
    EXPECT_EQ(move({{"track_id", "a"}, {"new_position", 0}})->status, 422);
    EXPECT_EQ(move({{"new_position", 0}})->status, 422);
}

TEST_F(PlayQueueApi, ClearEmpties) {
    add(tracks_[0]);
    auto res = server_->client()->Delete("/api/playqueue");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(body_json(res)["tracks"], Json::array());
}

TEST_F(PlayQueueApi, DeletedTrackLeavesNoGap) {
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "Ephemeral");
    int64_t doomed = insert_track(conn, "Doomed", "/q/doomed.mp3", artist);
    add(tracks_[0]);
    add(doomed);
    add(tracks_[1]);
    conn.exec("DELETE FROM tracks WHERE id = $1", db::Params(doomed));
    Json q = body_json(server_->client()->Get("/api/playqueue"));
    EXPECT_EQ(ids(q), (std::vector<int64_t>{tracks_[0], tracks_[1]}));
    expect_contiguous(q);
}

// Fifty clients at once: adds, removes and moves. Afterwards the queue must hold exactly the
// tracks whose last operation was an add, at contiguous positions, each once.
TEST_F(PlayQueueApi, ConcurrentEditsLoseNothing) {
    for (int i = 0; i < 10; ++i)
        add(tracks_[i]);
    const int kClients = 50;
    std::atomic<int> failures{0};
    std::atomic<int> transport_retries{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t) {
        threads.emplace_back([t, &failures, &transport_retries] {
            auto c = server_->client();
            auto run = [&]() -> httplib::Result {
                if (t < 30)  // add tracks 10..39 (distinct per client)
                    return c->Post("/api/playqueue/tracks", Json{{"id", tracks_[10 + t]}}.dump(),
                                   "application/json");
                if (t < 35)  // remove tracks 0..4
                    return c->Delete("/api/playqueue/tracks/" + std::to_string(tracks_[t - 30]));
                Json body = {{"track_id", tracks_[5 + (t % 5)]}, {"new_position", t % 7}};
                return c->Post("/api/playqueue/tracks/move", body.dump(), "application/json");
            };
            // Every operation here is idempotent, so a request that got no answer at all (the
            // connection closed before the server read it) is sent again; HTTP errors are not.
            auto res = run();
            for (int retry = 0; !res && retry < 3; ++retry) {
                ++transport_retries;
                res = run();
            }
            if (!res || res->status != 200) {
                ++failures;
                ADD_FAILURE() << "client " << t << ": "
                              << (res ? std::to_string(res->status) + " " + res->body
                                      : httplib::to_string(res.error()));
            }
        });
    }
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(failures.load(), 0);
    if (transport_retries > 0) std::cerr << "transport retries: " << transport_retries << "\n";
    Json q = body_json(server_->client()->Get("/api/playqueue"));
    auto got = ids(q);
    std::set<int64_t> unique(got.begin(), got.end());
    EXPECT_EQ(unique.size(), got.size());  // no duplicates
    std::set<int64_t> expected(tracks_.begin() + 5, tracks_.begin() + 40);
    EXPECT_EQ(unique, expected);  // nothing lost, removed ones gone
    expect_contiguous(q);
    auto conn = connect(server_->database_url());
    auto r = conn.exec("SELECT min(position), max(position), count(*) FROM play_queue_items");
    EXPECT_EQ(r.int64(0, 0), 0);
    EXPECT_EQ(r.int64(0, 1), 34);
    EXPECT_EQ(r.int64(0, 2), 35);
}

}  // namespace
}  // namespace sonique::test
