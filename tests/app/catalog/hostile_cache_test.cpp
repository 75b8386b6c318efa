// Hostile input, read-your-writes through the cache (ETag/304), and the same answers with
// Redis down (a server whose REDIS_URL points at a closed port).
#include <thread>

#include "catalog_support.hpp"

namespace sonique::test {
namespace {

// The cache checks run against both servers: answers must not depend on Redis.
void read_your_writes(httplib::Client& c, const std::string& tag) {
    int64_t artist = make_artist(c, "Cached " + tag);
    int64_t album = make_album(c, "Cached Album " + tag, artist);
    make_track(c, "t2", "/m/cache/" + tag + "/2.flac", artist,
               {{"album_id", album}, {"track_number", "2"}});
    std::string apath = "/api/artists/" + std::to_string(artist);
    auto before = get(c, "/api/artists/?skip=0&limit=10");
    int64_t count = before.json["count"];
    EXPECT_EQ(get(c, apath).json["name"], "Cached " + tag);
    EXPECT_EQ(put(c, apath, {{"name", "Renamed " + tag}}).status, 200);
    EXPECT_EQ(get(c, apath).json["name"], "Renamed " + tag);
    bool seen = false;
    auto listed = get(c, "/api/artists/?skip=0&limit=1000");
    for (const auto& a : listed.json["results"])
        seen = seen || a["name"] == "Renamed " + tag;
    EXPECT_TRUE(seen);
    make_artist(c, "Another " + tag);
    EXPECT_EQ(get(c, "/api/artists/count").json["count"], count + 1);
    EXPECT_EQ(get(c, "/api/artists/?skip=0&limit=10").json["count"], count + 1);
    std::string alpath = "/api/albums/" + std::to_string(album);
    EXPECT_EQ(get(c, alpath + "/tracks").json.size(), 1u);
    make_track(c, "t10", "/m/cache/" + tag + "/10.flac", artist,
               {{"album_id", album}, {"track_number", "10"}});
    auto tracks = get(c, alpath + "/tracks");
    ASSERT_EQ(tracks.json.size(), 2u);
    EXPECT_EQ(tracks.json[1]["title"], "t10");
    EXPECT_EQ(get(c, alpath).json["title"], "Cached Album " + tag);
    put(c, alpath, {{"title", "Album Renamed " + tag}});
    EXPECT_EQ(get(c, alpath).json["title"], "Album Renamed " + tag);
    EXPECT_EQ(del(c, apath).status, 204);
    EXPECT_EQ(get(c, apath).status, 404);
    EXPECT_EQ(get(c, alpath).status, 404);
}

void etags(httplib::Client& c) {
    int64_t artist = make_artist(c, "Etag Artist");
    std::string path = "/api/artists/" + std::to_string(artist);
    std::string album = "/api/albums/" + std::to_string(make_album(c, "Etag Album", artist));
    for (const std::string& p :
         {path, std::string("/api/artists/?skip=0&limit=10"), std::string("/api/artists/count"),
          album, album + "/tracks", std::string("/api/library/tree")}) {
        auto first = get(c, p);
        std::string etag = first.header("ETag");
        ASSERT_FALSE(etag.empty()) << p;
        auto again = call(c, "GET", p, "", {{"If-None-Match", etag}});
        EXPECT_EQ(again.status, 304) << p;
        EXPECT_TRUE(again.body.empty());
    }
    auto first = get(c, path);
    put(c, path, {{"name", "Etag Artist 2"}});
    auto changed = call(c, "GET", path, "", {{"If-None-Match", first.header("ETag")}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.json["name"], "Etag Artist 2");
    EXPECT_NE(changed.header("ETag"), first.header("ETag"));
}

class CatalogCache : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        up_ = new TestServer("api_cache_up");
        down_ = new TestServer("api_cache_down", [](Config& c) { c.redis.port = 1; });
    }
    static void TearDownTestSuite() {
        delete up_;
        delete down_;
    }
    static TestServer* up_;
    static TestServer* down_;
};
TestServer* CatalogCache::up_ = nullptr;
TestServer* CatalogCache::down_ = nullptr;

TEST_F(CatalogCache, ReadYourWritesWithRedis) {
    read_your_writes(*up_->client(), "up");
}
TEST_F(CatalogCache, ReadYourWritesWithRedisDown) {
    read_your_writes(*down_->client(), "down");
}
TEST_F(CatalogCache, EtagAnd304WithRedis) {
    etags(*up_->client());
}
TEST_F(CatalogCache, EtagAnd304WithRedisDown) {
    etags(*down_->client());
}

TEST_F(CatalogCache, SameAnswersWithAndWithoutRedis) {
    auto up = up_->client();
    auto down = down_->client();
    for (auto* c : {up.get(), down.get()}) {
        int64_t a = make_artist(*c, "Same Artist");
        int64_t al = make_album(*c, "Same Album", a, {{"release_year", "1999"}});
        make_track(*c, "Same", "/m/same.flac", a, {{"album_id", al}, {"genre_tags", {"x"}}});
    }
    auto strip = [](Json j) {
        // Ids and timestamps differ between the two databases; everything else must match.
        std::function<void(Json&)> walk = [&](Json& v) {
            if (v.is_object()) {
                for (auto& [k, x] : v.items()) {
                    if (k == "date_added" || k == "date_modified")
                        x = "ts";
                    else
                        walk(x);
                }
            } else if (v.is_array()) {
                for (auto& x : v)
                    walk(x);
            }
        };
        walk(j);
        return j;
    };
    for (const char* p : {"/api/artists/search?name=same", "/api/albums/search?title=same",
                          "/api/tracks/search?title=same", "/api/library/tree",
                          "/api/artists/search?name=nothing-here"}) {
        auto a = get(*up, p);
        auto b = get(*down, p);
        EXPECT_EQ(a.status, b.status) << p;
        EXPECT_EQ(strip(a.json).size(), strip(b.json).size()) << p;
    }
    auto ta = get(*up, "/api/tracks/search?title=same").json[0];
    auto tb = get(*down, "/api/tracks/search?title=same").json[0];
    for (const char* k : {"title", "path", "genre_tags", "mood_tags", "covers", "year", "bpm"})
        EXPECT_EQ(ta[k], tb[k]) << k;
}

class Hostile : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("api_hostile"); }
    static void TearDownTestSuite() { delete server_; }
    static TestServer* server_;
};
TestServer* Hostile::server_ = nullptr;

TEST_F(Hostile, NoClientErrorIsA500) {
    auto c = server_->client();
    const char* bodies[] = {"",
                            "null",
                            "[]",
                            "{}",
                            "\"x\"",
                            "42",
                            "{\"name\":",
                            "\xff\xfe",
                            "{\"name\": \"\xc3\x28\"}",
                            "{\"title\": {\"a\": 1}}",
                            "{\"name\": \"x\", \"weight\": \"NaN\"}",
                            "[{\"name\": null}]",
                            "{\"genre_tags\": [1, 2]}",
                            "{\"track_id\": \"abc\"}"};
    const char* posts[] = {"/api/artists/",          "/api/artists/batch",
                           "/api/artists/1/similar", "/api/albums/",
                           "/api/albums/batch",      "/api/tracks/",
                           "/api/tracks/batch",      "/api/tracks/1/audio-features",
                           "/api/genres/",           "/api/tags/genre-tags/",
                           "/api/tags/mood-tags/"};
    const char* puts[] = {
        "/api/artists/1",     "/api/artists/1/lastfm-info",   "/api/albums/1", "/api/tracks/1",
        "/api/tracks/1/tags", "/api/tracks/1/audio-features", "/api/genres/1"};
    make_artist(*c, "Hostile Owner");
    for (const char* body : bodies) {
        for (const char* p : posts) {
            auto r = call(*c, "POST", p, body);
            EXPECT_LT(r.status, 500) << p << " " << body << " -> " << r.body;
        }
        for (const char* p : puts) {
            auto r = call(*c, "PUT", p, body);
            EXPECT_LT(r.status, 500) << p << " " << body << " -> " << r.body;
        }
    }
    const char* gets[] = {"/api/artists/%00",
                          "/api/artists/search?name=%00",
                          "/api/tracks/search?genre_tags=%FF",
                          "/api/tracks/search?year=%FF",
                          "/api/albums/search?title=%E9",
                          "/api/genres/search?name=%FF",
                          "/api/tracks/9223372036854775807",
                          "/api/tracks/9223372036854775808",
                          "/api/albums/artists/-9",
                          "/api/tracks/artists/1/albums/-1",
                          "/api/artists/1/similar?limit=abc",
                          "/api/tags/?type=%FF",
                          "/api/artists/?skip=99999999999999999999"};
    for (const char* p : gets) {
        auto r = get(*c, p);
        EXPECT_LT(r.status, 500) << p << " -> " << r.body;
    }
}

TEST_F(Hostile, ConcurrentBatchesNeverDuplicateOrFail) {
    Json artists = Json::array(), albums = Json::array();
    for (int i = 0; i < 40; ++i)
        artists.push_back({{"name", "Race " + std::to_string(i)}});
    std::vector<Reply> out(4);
    auto run = [&](int k) {
        auto c = server_->client();
        out[k] = post(*c, "/api/artists/batch", artists);
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
        threads.emplace_back(run, k);
    for (auto& t : threads)
        t.join();
    for (const auto& r : out) {
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.json, out[0].json);
    }
    int64_t owner = out[0].json[0]["id"];
    for (int i = 0; i < 20; ++i)
        albums.push_back(
            {{"title", "Race Album " + std::to_string(i)}, {"album_artist_id", owner}});
    threads.clear();
    for (int k = 0; k < 4; ++k)
        threads.emplace_back(
            [&, k] { out[k] = post(*server_->client(), "/api/albums/batch", albums); });
    for (auto& t : threads)
        t.join();
    for (const auto& r : out) {
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(r.json, out[0].json);
    }
    auto c = server_->client();
    EXPECT_EQ(get(*c, "/api/albums/search?title=race%20album&limit=100").json.size(), 20u);
}

TEST_F(Hostile, ListOf100ArtistsWithCoversIsFast) {
    auto c = server_->client();
    Json batch = Json::array();
    for (int i = 0; i < 100; ++i)
        batch.push_back({{"name", "Perf " + std::to_string(1000 + i)}});
    auto created = post(*c, "/api/artists/batch", batch);
    ASSERT_EQ(created.status, 200);
    for (const auto& a : created.json)
        insert_cover(server_->database_url(), "artist", a["id"]);
    auto start = std::chrono::steady_clock::now();
    auto r = get(*c, "/api/artists/search?name=perf&limit=100");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    ASSERT_EQ(r.json.size(), 100u);
    for (const auto& a : r.json)
        EXPECT_EQ(a["covers"].size(), 1u);
    EXPECT_LT(ms, 500) << "100 artists with covers took " << ms << " ms";
    std::cout << "[ metric ] 100 artists with covers: " << ms << " ms\n";
}

TEST_F(Hostile, AlbumOf60TracksWithTagsAndFeaturesIsFast) {
    auto c = server_->client();
    int64_t artist = make_artist(*c, "Perf Album Artist");
    int64_t album = make_album(*c, "Perf Album", artist);
    Json batch = Json::array();
    for (int i = 60; i >= 1; --i)
        batch.push_back({{"title", "p" + std::to_string(i)},
                         {"path", "/m/perf/" + std::to_string(i)},
                         {"track_artist_id", artist},
                         {"album_id", album},
                         {"track_number", std::to_string(i)},
                         {"genre_tags", {"a", "b"}},
                         {"mood_tags", {"m"}}});
    auto created = post(*c, "/api/tracks/batch", batch);
    ASSERT_EQ(created.status, 200) << created.body;
    for (const auto& t : created.json)
        post(*c, "/api/tracks/" + std::to_string(t["id"].get<int64_t>()) + "/audio-features",
             {{"bpm", 100}});
    auto start = std::chrono::steady_clock::now();
    auto r = get(*c, "/api/albums/" + std::to_string(album) + "/tracks");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start)
                  .count();
    ASSERT_EQ(r.json.size(), 60u);
    EXPECT_EQ(r.json[0]["title"], "p1");
    EXPECT_EQ(r.json[59]["title"], "p60");
    EXPECT_EQ(r.json[30]["genre_tags"], Json({"a", "b"}));
    EXPECT_EQ(r.json[30]["bpm"], 100.0);
    EXPECT_LT(ms, 500);
    std::cout << "[ metric ] album of 60 tracks with tags and features: " << ms << " ms\n";
}

}  // namespace
}  // namespace sonique::test
