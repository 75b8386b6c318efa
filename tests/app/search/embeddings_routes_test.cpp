// Track embeddings and vector search routes (api-contract.md §13) through HTTP: every status
// code, two types of different dimensions, cosine scores, the index and its scan fallback.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class EmbeddingRoutes : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new std::string(
            (std::filesystem::temp_directory_path() / ("sonique-embeddings-" + unique_suffix()))
                .string());
        server_ = new TestServer("embedding_routes", [](Config& c) { c.index_dir = *dir_; });
        auto c = server_->client();
        int64_t artist = make_artist(*c, "Artist");
        for (int i = 0; i < 4; ++i)
            tracks_.push_back(
                make_track(*c, "Song " + std::to_string(i), "/m/e" + std::to_string(i), artist));
    }
    static void TearDownTestSuite() {
        delete server_;
        std::filesystem::remove_all(*dir_);
        delete dir_;
    }
    EmbeddingRoutes() : c_(server_->client()) {}

    std::string base(int i) { return "/api/tracks/" + std::to_string(tracks_[i]) + "/embeddings"; }
    Reply put_vector(int i, const std::string& type, const Json& v) {
        return post(*c_, base(i), {{"embedding_type", type}, {"vector", v}});
    }
    static void expect_422(const Reply& r, const Json& loc) {
        EXPECT_EQ(r.status, 422) << r.body;
        ASSERT_TRUE(r.json.contains("detail") && r.json["detail"].is_array()) << r.body;
        EXPECT_EQ(r.json["detail"][0]["loc"], loc) << r.body;
    }

    static TestServer* server_;
    static std::string* dir_;
    static std::vector<int64_t> tracks_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* EmbeddingRoutes::server_ = nullptr;
std::string* EmbeddingRoutes::dir_ = nullptr;
std::vector<int64_t> EmbeddingRoutes::tracks_;

TEST_F(EmbeddingRoutes, CreateReadUpdateDelete) {
    Reply made = post(*c_, base(0),
                      {{"track_id", tracks_[0]},
                       {"embedding_type", "crud"},
                       {"vector", {1.0, 2.0, 3.0}},
                       {"embedding_source", "test"},
                       {"embedding_model", "m1"}});
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made.json["dimension"], 3);
    EXPECT_EQ(made.json["vector"], Json::parse("[1.0,2.0,3.0]"));
    Reply list = get(*c_, base(0) + "?embedding_type=crud");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.json.size(), 1u);
    expect_keys(list.json[0],
                {"id", "track_id", "embedding_type", "embedding_source", "embedding_model",
                 "dimension", "created_at", "date_added", "date_modified"});
    EXPECT_EQ(get(*c_, base(0) + "/crud").json["embedding_model"], "m1");
    Reply upd = put(*c_, base(0) + "/crud", {{"vector", {3.0, 2.0, 1.0}}});
    ASSERT_EQ(upd.status, 200) << upd.body;
    EXPECT_EQ(upd.json["vector"], Json::parse("[3.0,2.0,1.0]"));
    EXPECT_EQ(put(*c_, base(1) + "/crud", {{"vector", {1.0, 1.0, 1.0}}}).status, 404);
    EXPECT_EQ(del(*c_, base(0) + "/crud").status, 204);
    EXPECT_EQ(del(*c_, base(0) + "/crud").status, 404);
    EXPECT_EQ(get(*c_, base(0) + "/crud").status, 404);
    EXPECT_EQ(get(*c_, "/api/tracks/999999/embeddings").json,
              Json({{"detail", "Piste non trouvée"}}));
    EXPECT_EQ(post(*c_, "/api/tracks/999999/embeddings", {{"vector", {1.0}}}).status, 404);
    // The type's dimension was freed with its last vector.
    EXPECT_EQ(put_vector(0, "crud", {1.0, 2.0}).status, 201);
}

TEST_F(EmbeddingRoutes, BadVectorsAre422AndAMismatchedTrackIs400) {
    ASSERT_EQ(put_vector(0, "dims", {1.0, 0.0}).status, 201);
    expect_422(put_vector(1, "dims", {1.0, 0.0, 0.0}), {"body", "vector"});
    expect_422(put_vector(1, "dims", Json::array()), {"body", "vector"});
    expect_422(put_vector(1, "dims", {1.0, "x"}), {"body", "vector"});
    expect_422(call(*c_, "POST", base(1), R"({"embedding_type":"dims","vector":[1e39, 0]})"),
               {"body", "vector"});
    // NaN and Infinity are not JSON: the body is refused as malformed.
    Reply nan = call(*c_, "POST", base(1), R"({"vector":[NaN, 0]})");
    EXPECT_EQ(nan.status, 422);
    EXPECT_EQ(nan.json["detail"][0]["type"], "json_invalid");
    expect_422(post(*c_, base(1), Json::object()), {"body", "vector"});
    Reply other = post(*c_, base(1), {{"track_id", tracks_[2]}, {"vector", {1.0}}});
    EXPECT_EQ(other.status, 400);
    expect_422(post(*c_, "/api/embeddings/search",
                    {{"embedding_type", "dims"}, {"query_vector", {1.0, 2.0, 3.0}}}),
               {"body", "query_vector"});
    expect_422(post(*c_, "/api/embeddings/search",
                    {{"embedding_type", "dims"}, {"query_vector", {1.0, 2.0}}, {"limit", 0}}),
               {"body", "limit"});
    expect_422(post(*c_, "/api/embeddings/search",
                    {{"embedding_type", "dims"}, {"query_vector", {1.0, 2.0}}, {"limit", 101}}),
               {"body", "limit"});
    expect_422(post(*c_, "/api/embeddings/search", {{"embedding_type", "dims"}}),
               {"body", "query_vector"});
}

TEST_F(EmbeddingRoutes, SearchTwoTypesOfDifferentDimensions) {
    // "small": 3 dimensions; "wide": 768.
    ASSERT_EQ(put_vector(0, "small", {1.0, 0.0, 0.0}).status, 201);
    ASSERT_EQ(put_vector(1, "small", {0.7, 0.7, 0.0}).status, 201);
    ASSERT_EQ(put_vector(2, "small", {0.0, 0.0, 1.0}).status, 201);
    Json wide0 = Json::array(), wide3 = Json::array();
    for (int i = 0; i < 768; ++i) {
        wide0.push_back(i == 0 ? 1.0 : 0.0);
        wide3.push_back(i == 767 ? 1.0 : 0.0);
    }
    ASSERT_EQ(put_vector(0, "wide", wide0).status, 201);
    ASSERT_EQ(put_vector(3, "wide", wide3).status, 201);

    Reply r = post(*c_, "/api/embeddings/search",
                   {{"embedding_type", "small"}, {"query_vector", {2.0, 0.0, 0.0}}, {"limit", 2}});
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json.size(), 2u);
    expect_keys(r.json[0], {"track_id", "similarity_score", "embedding_type", "track_title",
                            "artist_name", "album_title"});
    EXPECT_EQ(r.json[0]["track_id"], tracks_[0]);
    EXPECT_NEAR(r.json[0]["similarity_score"].get<double>(), 1.0, 1e-5);
    EXPECT_EQ(r.json[1]["track_id"], tracks_[1]);
    EXPECT_NEAR(r.json[1]["similarity_score"].get<double>(), std::sqrt(0.5), 1e-4);
    EXPECT_EQ(r.json[0]["track_title"], "Song 0");
    EXPECT_EQ(r.json[0]["artist_name"], "Artist");

    Reply w = post(*c_, "/api/embeddings/search",
                   {{"embedding_type", "wide"}, {"query_vector", wide3}, {"min_similarity", 0.5}});
    ASSERT_EQ(w.status, 200) << w.body;
    ASSERT_EQ(w.json.size(), 1u);
    EXPECT_EQ(w.json[0]["track_id"], tracks_[3]);

    Reply ex = post(*c_, "/api/embeddings/search",
                    {{"embedding_type", "small"},
                     {"query_vector", {1.0, 0.0, 0.0}},
                     {"exclude_track_ids", {tracks_[0]}}});
    EXPECT_EQ(ex.json[0]["track_id"], tracks_[1]);

    Reply sim = post(*c_, base(0) + "/search-similar", {{"embedding_type", "small"}, {"limit", 5}});
    ASSERT_EQ(sim.status, 200) << sim.body;
    ASSERT_EQ(sim.json.size(), 2u);
    EXPECT_EQ(sim.json[0]["track_id"], tracks_[1]);
    Reply self = post(*c_, base(0) + "/search-similar",
                      {{"embedding_type", "small"}, {"exclude_self", false}});
    EXPECT_EQ(self.json[0]["track_id"], tracks_[0]);
    EXPECT_EQ(post(*c_, base(3) + "/search-similar", {{"embedding_type", "small"}}).status, 404);
    EXPECT_EQ(post(*c_, "/api/embeddings/search",
                   {{"embedding_type", "nothing"}, {"query_vector", {1.0}}})
                  .json,
              Json::array());

    Reply stats = get(*c_, "/api/embeddings/statistics");
    ASSERT_EQ(stats.status, 200);
    std::map<std::string, Json> by;
    for (const auto& t : stats.json["types"])
        by[t["embedding_type"]] = t;
    EXPECT_EQ(by["small"]["dimension"], 3);
    EXPECT_EQ(by["small"]["count"], 3);
    EXPECT_EQ(by["wide"]["dimension"], 768);
    EXPECT_EQ(by["wide"]["count"], 2);
}

TEST_F(EmbeddingRoutes, MoreLikeThisUsesTheTracksLargestSet) {
    auto c = server_->client();
    int64_t other = make_artist(*c, "Other Artist");
    int64_t a = make_track(*c, "Like 0", "/m/l0", other);
    int64_t b = make_track(*c, "Like 1", "/m/l1", other);
    int64_t d = make_track(*c, "Like 2", "/m/l2", other);
    auto vec = [&](int64_t track, const Json& v) {
        return post(*c_, "/api/tracks/" + std::to_string(track) + "/embeddings",
                    {{"embedding_type", "like"}, {"vector", v}})
            .status;
    };
    ASSERT_EQ(vec(a, {1.0, 0.0}), 201);
    ASSERT_EQ(vec(b, {0.9, 0.1}), 201);
    ASSERT_EQ(vec(d, {0.8, 0.2}), 201);
    ASSERT_EQ(vec(tracks_[1], {0.7, 0.3}), 201);
    std::string path = "/api/tracks/" + std::to_string(a) + "/similar";
    Reply r = get(*c_, path + "?limit=3");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["source"], "like");
    ASSERT_EQ(r.json["items"].size(), 3u);
    EXPECT_EQ(r.json["items"][0]["track_id"], b);
    EXPECT_EQ(r.json["items"][1]["track_id"], d);
    // One track per artist: Other Artist's best, then Artist's.
    Reply one = get(*c_, path + "?distinct_artists=true");
    ASSERT_EQ(one.json["items"].size(), 2u) << one.body;
    EXPECT_EQ(one.json["items"][0]["track_id"], b);
    EXPECT_EQ(one.json["items"][1]["track_id"], tracks_[1]);
    // A track without vectors, an unknown track, a bad limit.
    int64_t bare = make_track(*c, "No vector", "/m/l3", other);
    Reply none = get(*c_, "/api/tracks/" + std::to_string(bare) + "/similar");
    EXPECT_EQ(none.json["source"], "none");
    EXPECT_EQ(none.json["items"], Json::array());
    EXPECT_EQ(get(*c_, "/api/tracks/999999/similar").status, 404);
    expect_422(get(*c_, path + "?limit=0"), {"query", "limit"});
    expect_422(get(*c_, path + "?limit=101"), {"query", "limit"});
}

// The set chosen is the largest of the track's types, as their sizes change with each write
// (counted with the indexes, not per request); equal sizes: the first by name.
TEST_F(EmbeddingRoutes, MoreLikeThisFollowsTheSizesOfTheTracksSets) {
    auto c = server_->client();
    int64_t artist = make_artist(*c, "Sizes Artist");
    std::vector<int64_t> t;
    for (int i = 0; i < 5; ++i)
        t.push_back(
            make_track(*c, "Size " + std::to_string(i), "/m/s" + std::to_string(i), artist));
    auto vec = [&](int64_t track, const std::string& type, const Json& v) {
        return post(*c_, "/api/tracks/" + std::to_string(track) + "/embeddings",
                    {{"embedding_type", type}, {"vector", v}})
            .status;
    };
    auto similar = [&]() {
        Reply r = get(*c_, "/api/tracks/" + std::to_string(t[0]) + "/similar?limit=5");
        EXPECT_EQ(r.status, 200) << r.body;
        return r.json;
    };
    // zeta: three vectors, alpha: two. The larger wins though it sorts last.
    ASSERT_EQ(vec(t[0], "zeta", {1.0, 0.0, 0.0}), 201);
    ASSERT_EQ(vec(t[1], "zeta", {0.0, 1.0, 0.0}), 201);
    ASSERT_EQ(vec(t[2], "zeta", {0.9, 0.1, 0.0}), 201);
    ASSERT_EQ(vec(t[0], "alpha", {1.0, 0.0}), 201);
    ASSERT_EQ(vec(t[3], "alpha", {0.0, 1.0}), 201);
    Json z = similar();
    EXPECT_EQ(z["source"], "zeta");
    ASSERT_EQ(z["items"].size(), 2u) << z.dump();
    EXPECT_EQ(z["items"][0]["track_id"], t[2]);
    EXPECT_EQ(z["items"][1]["track_id"], t[1]);
    // Three each: the first by name.
    ASSERT_EQ(vec(t[4], "alpha", {0.8, 0.2}), 201);
    Json a = similar();
    EXPECT_EQ(a["source"], "alpha");
    ASSERT_EQ(a["items"].size(), 2u) << a.dump();
    EXPECT_EQ(a["items"][0]["track_id"], t[4]);
    // A removal makes zeta the larger again.
    ASSERT_EQ(del(*c_, "/api/tracks/" + std::to_string(t[3]) + "/embeddings/alpha").status, 204);
    EXPECT_EQ(similar()["source"], "zeta");
}

TEST_F(EmbeddingRoutes, AnswersAreTheSameFromTheIndexAndFromTheScan) {
    ASSERT_EQ(put_vector(0, "both", {1.0, 0.2}).status, 201);
    ASSERT_EQ(put_vector(1, "both", {0.2, 1.0}).status, 201);
    ASSERT_EQ(put_vector(2, "both", {1.0, 1.0}).status, 201);
    Json q = {{"embedding_type", "both"}, {"query_vector", {1.0, 0.0}}};
    // The first query may find the index still building: either way the same answer.
    Reply first = post(*c_, "/api/embeddings/search", q);
    ASSERT_EQ(first.status, 200);
    std::string how = first.header("X-Sonique-Index");
    EXPECT_TRUE(how == "faiss" || how == "scan") << how;
    Reply later;
    for (int i = 0; i < 100; ++i) {
        later = post(*c_, "/api/embeddings/search", q);
        if (later.header("X-Sonique-Index") == "faiss") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_EQ(later.header("X-Sonique-Index"), "faiss");
    ASSERT_EQ(first.json.size(), later.json.size());
    for (size_t i = 0; i < later.json.size(); ++i) {
        EXPECT_EQ(first.json[i]["track_id"], later.json[i]["track_id"]);
        EXPECT_NEAR(first.json[i]["similarity_score"].get<double>(),
                    later.json[i]["similarity_score"].get<double>(), 1e-5);
    }
    // A deleted track leaves the answers at once.
    ASSERT_EQ(del(*c_, "/api/tracks/" + std::to_string(tracks_[2])).status, 204);
    Reply after = post(*c_, "/api/embeddings/search", q);
    for (const auto& h : after.json)
        EXPECT_NE(h["track_id"], tracks_[2]);
}

}  // namespace
}  // namespace sonique::test
