// Computed similarity through HTTP (api-contract.md §4, §13): similar artists merging the tags
// set's rows with stored Last.fm rows, the recommendations by name, "more like this" from the
// tags set for a track without embeddings, hybrid search finding artists by their tags, and the
// GraphQL Artist.similarArtists field. The tags sets build in the background: each test waits
// (bounded) until the answer shows them.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class SimilarityRoutes : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("similarity_routes");
        auto c = server_->client();
        slowdive_ = make_artist(*c, "Slowdive");
        ride_ = make_artist(*c, "Ride");
        lush_ = make_artist(*c, "Lush");
        slayer_ = make_artist(*c, "Slayer");
        make_track(*c, "Alison", "/m/alison.flac", slowdive_, {{"genre", "Shoegaze"}});
        make_track(*c, "Souvlaki Space Station", "/m/sss.flac", slowdive_, {{"genre", "Shoegaze"}});
        make_track(*c, "Vapour Trail", "/m/vt.flac", ride_, {{"genre", "Shoegaze"}});
        make_track(*c, "Angel Of Death", "/m/aod.flac", slayer_, {{"genre", "Thrash Metal"}});
        make_track(*c, "Ladykillers", "/m/lk.flac", lush_);
        // Lush's tags come from Last.fm only; a stored Last.fm similarity of 0.2 to Slowdive.
        EXPECT_EQ(put(*c, "/api/artists/" + std::to_string(lush_) + "/lastfm-info",
                      {{"tags", {"shoegaze", "dreamy", "dream pop"}}})
                      .status,
                  200);
        EXPECT_EQ(post(*c, "/api/artists/" + std::to_string(slowdive_) + "/similar",
                       Json::array({{{"name", "Lush"}, {"weight", 0.2}}}))
                      .status,
                  200);
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    SimilarityRoutes() : c_(server_->client()) {}

    // Asks until done(reply) or 30 s have passed (the sets build in the background).
    Reply until(const std::function<Reply()>& ask, const std::function<bool(const Reply&)>& done) {
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        Reply r = ask();
        while (!done(r) && std::chrono::steady_clock::now() < end) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            r = ask();
        }
        return r;
    }
    static bool has_source(const Json& list, const char* source) {
        for (const auto& row : list)
            if (row.value("source", "") == source) return true;
        return false;
    }

    static TestServer* server_;
    static int64_t slowdive_, ride_, lush_, slayer_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* SimilarityRoutes::server_ = nullptr;
int64_t SimilarityRoutes::slowdive_ = 0, SimilarityRoutes::ride_ = 0, SimilarityRoutes::lush_ = 0,
        SimilarityRoutes::slayer_ = 0;

TEST_F(SimilarityRoutes, SimilarArtistsMergeComputedRowsWithStoredOnes) {
    std::string base = "/api/artists/" + std::to_string(slowdive_) + "/similar";
    Reply r = until([&] { return get(*c_, base); },
                    [](const Reply& r) { return has_source(r.json, "tags"); });
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(has_source(r.json, "tags")) << r.body;
    std::map<int64_t, int> rows_per_artist;
    double previous = 2;
    for (const auto& row : r.json) {
        expect_keys(row, {"id", "artist_id", "similar_artist_id", "weight", "source",
                          "similar_artist_name", "date_added", "date_modified"});
        EXPECT_EQ(row["artist_id"], slowdive_);
        EXPECT_LE(row["weight"].get<double>(), previous);  // best weight first
        previous = row["weight"].get<double>();
        ++rows_per_artist[row["similar_artist_id"].get<int64_t>()];
        EXPECT_NE(row["similar_artist_id"], slayer_) << "thrash metal is not shoegaze";
    }
    for (auto [artist, rows] : rows_per_artist)
        EXPECT_EQ(rows, 1) << artist;
    // Ride: computed from the tags (no stored row); Lush: the stored Last.fm row wins.
    Json ride = r.json[0];
    EXPECT_EQ(ride["similar_artist_id"], ride_);
    EXPECT_EQ(ride["similar_artist_name"], "Ride");
    EXPECT_EQ(ride["source"], "tags");
    EXPECT_TRUE(ride["id"].is_null());
    EXPECT_GT(ride["weight"].get<double>(), 0.9);  // the same tags exactly
    EXPECT_LE(ride["weight"].get<double>(), 1.0);
    EXPECT_TRUE(is_iso_timestamp(ride["date_added"]));
    bool lush_seen = false;
    for (const auto& row : r.json)
        if (row["similar_artist_id"] == lush_) {
            lush_seen = true;
            EXPECT_EQ(row["source"], "lastfm");
            EXPECT_DOUBLE_EQ(row["weight"].get<double>(), 0.2);
            EXPECT_TRUE(row["id"].is_number_integer());
        }
    EXPECT_TRUE(lush_seen);
    EXPECT_EQ(get(*c_, base + "?limit=1").json.size(), 1u);
    EXPECT_EQ(get(*c_, base + "?limit=0").status, 422);
    EXPECT_EQ(get(*c_, base + "?limit=51").status, 422);
    EXPECT_EQ(get(*c_, "/api/artists/999999/similar").json,
              Json({{"detail", "Artiste non trouvé"}}));
}

TEST_F(SimilarityRoutes, RecommendationsByNameAndForAnUnknownName) {
    Reply r = until([&] { return get(*c_, "/api/recommendations/artist/SLOWDIVE?limit=5"); },
                    [](const Reply& r) {
                        return r.json.contains("recommendations") &&
                               r.json["recommendations"]["source"] == "lastfm+tags";
                    });
    ASSERT_EQ(r.status, 200) << r.body;
    expect_keys(r.json, {"recommendations"});
    const Json& rec = r.json["recommendations"];
    expect_keys(rec, {"artist_name", "similar_artists", "cluster_based", "similarity_score",
                      "distance", "cluster", "source"});
    EXPECT_EQ(rec["artist_name"], "Slowdive");
    EXPECT_EQ(rec["source"], "lastfm+tags") << r.body;
    EXPECT_EQ(rec["cluster_based"], false);
    ASSERT_GE(rec["similar_artists"].size(), 2u);
    expect_keys(rec["similar_artists"][0],
                {"artist_name", "artist_id", "cluster", "similarity_score"});
    EXPECT_EQ(rec["similar_artists"][0]["artist_name"], "Ride");
    EXPECT_EQ(rec["similar_artists"][0]["artist_id"], ride_);
    EXPECT_DOUBLE_EQ(rec["similarity_score"].get<double>(),
                     rec["similar_artists"][0]["similarity_score"].get<double>());
    EXPECT_NEAR(rec["distance"].get<double>(), 1 - rec["similarity_score"].get<double>(), 1e-12);

    Reply unknown = get(*c_, "/api/recommendations/artist/Nobody%20Here");
    ASSERT_EQ(unknown.status, 200);
    EXPECT_EQ(unknown.json, Json({{"recommendations",
                                   {{"artist_name", "Nobody Here"},
                                    {"similar_artists", Json::array()},
                                    {"cluster_based", false},
                                    {"similarity_score", nullptr},
                                    {"distance", nullptr},
                                    {"cluster", nullptr},
                                    {"source", "none"}}}}));
    EXPECT_EQ(get(*c_, "/api/recommendations/artist/Slowdive?limit=0").status, 422);
    EXPECT_EQ(get(*c_, "/api/recommendations/artist/Slowdive?limit=51").status, 422);
    EXPECT_EQ(get(*c_, "/api/recommendations/artist/Slowdive?limit=x").status, 422);
    EXPECT_EQ(get(*c_, "/api/recommendations/artist/%FF").status, 422);
}

TEST_F(SimilarityRoutes, MoreLikeThisFallsBackOnTheTagsSet) {
    int64_t alison = get(*c_, "/api/tracks/search?title=Alison").json[0]["id"];
    std::string base = "/api/tracks/" + std::to_string(alison) + "/similar";
    Reply r = until([&] { return get(*c_, base); },
                    [](const Reply& r) { return r.json.value("source", "") == "tags"; });
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["source"], "tags");
    ASSERT_GE(r.json["items"].size(), 2u) << r.body;
    EXPECT_EQ(r.json["items"][0]["artist_name"], "Slowdive");  // Souvlaki Space Station
    for (const auto& item : r.json["items"]) {
        EXPECT_NE(item["track_id"], alison);
        EXPECT_NE(item["track_title"], "Angel Of Death");
        EXPECT_EQ(item["embedding_type"], "tags");
    }
    Reply distinct = get(*c_, base + "?distinct_artists=true");
    std::set<std::string> artists;
    for (const auto& item : distinct.json["items"])
        EXPECT_TRUE(artists.insert(item["artist_name"].get<std::string>()).second);
    EXPECT_GE(artists.size(), 2u);  // Slowdive, Ride (and Lush through its Last.fm tags)
}

TEST_F(SimilarityRoutes, HybridSearchFindsArtistsByTheirTags) {
    Json body = {{"query", "dreamy shoegaze"}, {"filters", {{"type", {"artist"}}}}};
    Reply r = until([&] { return post(*c_, "/api/search/", body); },
                    [](const Reply& r) { return r.header("X-Sonique-Ranking") == "hybrid"; });
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.header("X-Sonique-Ranking"), "hybrid");
    ASSERT_FALSE(r.json["items"].empty()) << r.body;
    // No name holds either word: Lush (dreamy and shoegaze) comes first of all.
    EXPECT_EQ(r.json["items"][0]["type"], "artist");
    EXPECT_EQ(r.json["items"][0]["title"], "Lush");
    EXPECT_NEAR(r.json["items"][0]["hybrid_score"].get<double>(), 1.0 / 61, 1e-12);
    for (const auto& item : r.json["items"])
        EXPECT_NE(item["title"], "Slayer");
    expect_keys(r.json, {"total", "items", "facets", "page", "total_pages", "suggestion"});
}

TEST_F(SimilarityRoutes, GraphqlArtistsHaveSimilarArtists) {
    auto ask = [&](int limit) {
        std::string q = "{ artist(id: " + std::to_string(slowdive_) +
                        ") { name similarArtists(limit: " + std::to_string(limit) +
                        ") { id name weight source } } }";
        return post(*c_, "/api/graphql", {{"query", q}});
    };
    Reply r = until([&] { return ask(5); },
                    [](const Reply& r) {
                        return r.json.contains("data") &&
                               has_source(r.json["data"]["artist"]["similarArtists"], "tags");
                    });
    ASSERT_EQ(r.status, 200) << r.body;
    const Json& list = r.json["data"]["artist"]["similarArtists"];
    ASSERT_GE(list.size(), 2u) << r.body;
    EXPECT_EQ(
        list[0],
        Json({{"id", ride_}, {"name", "Ride"}, {"weight", list[0]["weight"]}, {"source", "tags"}}));
    EXPECT_EQ(ask(1).json["data"]["artist"]["similarArtists"].size(), 1u);
    Reply bad = ask(0);
    ASSERT_TRUE(bad.json.contains("errors")) << bad.body;
}

}  // namespace
}  // namespace sonique::test
