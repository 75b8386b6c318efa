// /api/albums against a real server, PostgreSQL and Redis (api-contract.md §5).
#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class Albums : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_albums");
        auto c = server_->client();
        artist_ = make_artist(*c, "Album Owner");
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    static int64_t artist_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* Albums::server_ = nullptr;
int64_t Albums::artist_ = 0;

TEST_F(Albums, Create201WithShapeAndReleaseYearNormalisation) {
    auto r = post(*c_, "/api/albums/",
                  {{"title", "Shape Album"},
                   {"album_artist_id", artist_},
                   {"release_year", "2001-05-03"},
                   {"musicbrainz_albumid", "mb-album-shape"}});
    ASSERT_EQ(r.status, 201) << r.body;
    expect_keys(r.json, kAlbumKeys);
    EXPECT_EQ(r.json["release_year"], "2001");
    EXPECT_EQ(r.json["album_artist_id"], artist_);
    EXPECT_EQ(r.json["covers"], Json::array());
    EXPECT_TRUE(is_iso_timestamp(r.json["date_added"]));
    std::vector<std::pair<Json, Json>> cases = {
        {"2001/05/03", "2001"}, {"03/05/2001", "2001"}, {1999, "1999"},   {"1999", "1999"},
        {"05", "2005"},         {"30", "2030"},         {"31", "1931"},   {"99", "1999"},
        {"garbage", nullptr},   {"123", nullptr},       {12345, nullptr}, {nullptr, nullptr}};
    int n = 0;
    for (const auto& [in, out] : cases) {
        auto c = post(*c_, "/api/albums",
                      {{"title", "Year " + std::to_string(n++)},
                       {"album_artist_id", artist_},
                       {"release_year", in}});
        ASSERT_EQ(c.status, 201) << in << " " << c.body;
        EXPECT_EQ(c.json["release_year"], out) << in;
    }
}

TEST_F(Albums, CreateErrors) {
    auto missing_artist = post(*c_, "/api/albums/", {{"title", "X"}, {"album_artist_id", 999999}});
    EXPECT_EQ(missing_artist.status, 404);
    EXPECT_EQ(missing_artist.json, Json({{"detail", "Artiste non trouvé"}}));
    auto r = post(*c_, "/api/albums/", {{"title", "X"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json["detail"][0]["loc"], Json({"body", "album_artist_id"}));
    EXPECT_EQ(post(*c_, "/api/albums/", {{"title", "X"}, {"album_artist_id", "abc"}}).status, 422);
    EXPECT_EQ(post(*c_, "/api/albums/", {{"title", ""}, {"album_artist_id", artist_}}).status, 422);
    EXPECT_EQ(post(*c_, "/api/albums/",
                   {{"title", "X"}, {"album_artist_id", artist_}, {"release_year", {{"a", 1}}}})
                  .status,
              422);
    EXPECT_EQ(call(*c_, "POST", "/api/albums/", "{\"title\":").status, 422);
}

TEST_F(Albums, ListWithTotalCountByTitleAndSearch) {
    TestServer local("api_albums_list");
    auto c = local.client();
    int64_t a = make_artist(*c, "Lister");
    int64_t b = make_artist(*c, "Other Lister");
    make_album(*c, "zeta", a);
    make_album(*c, "Alpha", b);
    make_album(*c, "beta", a, {{"musicbrainz_albumid", "mb-beta"}});
    auto r = get(*c, "/api/albums/?skip=0&limit=2");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json["count"], 3);
    ASSERT_EQ(r.json["results"].size(), 2u);
    EXPECT_EQ(r.json["results"][0]["title"], "Alpha");
    EXPECT_EQ(r.json["results"][1]["title"], "beta");
    expect_keys(r.json["results"][0], kAlbumKeys);
    EXPECT_EQ(get(*c, "/api/albums?limit=0").status, 422);
    auto s = get(*c, "/api/albums/search?title=ETA");
    ASSERT_EQ(s.json.size(), 2u);
    EXPECT_EQ(s.json[0]["title"], "beta");
    auto by_artist = get(*c, "/api/albums/search?artist_id=" + std::to_string(b));
    ASSERT_EQ(by_artist.json.size(), 1u);
    EXPECT_EQ(by_artist.json[0]["title"], "Alpha");
    EXPECT_EQ(get(*c, "/api/albums/search?musicbrainz_albumid=mb-beta").json.size(), 1u);
    EXPECT_EQ(get(*c, "/api/albums/search?artist_id=x").status, 422);
}

TEST_F(Albums, BatchGetOrCreate) {
    int64_t existing = make_album(*c_, "Batch Album", artist_);
    Json body = Json::array(
        {{{"title", "batch ALBUM"}, {"album_artist_id", artist_}},
         {{"title", "Batch Fresh"}, {"album_artist_id", artist_}, {"release_year", "1987-01-01"}},
         {{"title", "Batch Fresh"}, {"album_artist_id", artist_}},
         {{"title", "By Mbid"}, {"album_artist_id", artist_}, {"musicbrainz_albumid", "mb-b1"}}});
    auto r = post(*c_, "/api/albums/batch", body);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json.size(), 4u);
    EXPECT_EQ(r.json[0]["id"], existing);
    EXPECT_EQ(r.json[1]["release_year"], "1987");
    EXPECT_EQ(r.json[2]["id"], r.json[1]["id"]);
    expect_keys(r.json[3], kAlbumKeys);
    auto renamed = post(*c_, "/api/albums/batch",
                        Json::array({{{"title", "Other Title"},
                                      {"album_artist_id", artist_},
                                      {"musicbrainz_albumid", "mb-b1"}}}));
    EXPECT_EQ(renamed.json[0]["id"], r.json[3]["id"]);
    EXPECT_EQ(post(*c_, "/api/albums/batch", body).json, r.json);
    auto bad = post(*c_, "/api/albums/batch",
                    Json::array({{{"title", "T"}, {"album_artist_id", 999999}}}));
    EXPECT_EQ(bad.status, 404);
    EXPECT_EQ(bad.json, Json({{"detail", "Artiste non trouvé"}}));
    EXPECT_EQ(post(*c_, "/api/albums/batch", {{"title", "T"}}).status, 422);
}

TEST_F(Albums, GetPutDelete) {
    int64_t id = make_album(*c_, "Crud Album", artist_);
    std::string path = "/api/albums/" + std::to_string(id);
    ASSERT_EQ(get(*c_, path).status, 200);
    expect_keys(get(*c_, path).json, kAlbumKeys);
    auto up = put(*c_, path, {{"title", "Crud Album 2"}, {"release_year", "03/05/2011"}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["title"], "Crud Album 2");
    EXPECT_EQ(up.json["release_year"], "2011");
    EXPECT_EQ(get(*c_, path).json["release_year"], "2011");
    EXPECT_EQ(put(*c_, path, {{"album_artist_id", 999999}}).json,
              Json({{"detail", "Artiste non trouvé"}}));
    for (const char* missing :
         {"/api/albums/999999", "/api/albums/-3", "/api/albums/123456789012345678901"}) {
        EXPECT_EQ(get(*c_, missing).json, Json({{"detail", "Album non trouvé"}})) << missing;
        EXPECT_EQ(put(*c_, missing, {{"title", "x"}}).status, 404);
        EXPECT_EQ(del(*c_, missing).status, 404);
        EXPECT_EQ(get(*c_, std::string(missing) + "/tracks").status, 404);
    }
    EXPECT_EQ(get(*c_, "/api/albums/xyz").status, 422);
    int64_t track = make_track(*c_, "Kept", "/m/albums/kept.flac", artist_, {{"album_id", id}});
    EXPECT_EQ(del(*c_, path).status, 204);
    EXPECT_EQ(get(*c_, path).status, 404);
    auto t = get(*c_, "/api/tracks/" + std::to_string(track));
    ASSERT_EQ(t.status, 200);
    EXPECT_TRUE(t.json["album_id"].is_null());
}

TEST_F(Albums, ByArtistByYearThenTitleAnd404) {
    int64_t a = make_artist(*c_, "Year Sorted");
    make_album(*c_, "b", a, {{"release_year", 2000}});
    make_album(*c_, "a", a, {{"release_year", 2000}});
    make_album(*c_, "c", a, {{"release_year", 1990}});
    auto r = get(*c_, "/api/albums/artists/" + std::to_string(a));
    ASSERT_EQ(r.status, 200);
    std::vector<std::string> titles;
    for (const auto& al : r.json)
        titles.push_back(al["title"]);
    EXPECT_EQ(titles, (std::vector<std::string>{"c", "a", "b"}));
    auto missing = get(*c_, "/api/albums/artists/999999");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json, Json({{"detail", "Artiste non trouvé"}}));
}

TEST_F(Albums, TracksOrderedNumericallyByDiscThenTrack) {
    int64_t id = make_album(*c_, "Numeric", artist_);
    const char* numbers[][2] = {{"10", "1"}, {"2", "1"}, {"1/12", "1"}, {"3", "2"}, {"1", "2/2"}};
    int n = 0;
    for (auto& nd : numbers) {
        std::string title = std::string("d") + nd[1] + "t" + nd[0];
        make_track(*c_, title, "/m/numeric/" + std::to_string(n++) + ".flac", artist_,
                   {{"album_id", id}, {"track_number", nd[0]}, {"disc_number", nd[1]}});
    }
    auto r = get(*c_, "/api/albums/" + std::to_string(id) + "/tracks");
    ASSERT_EQ(r.status, 200);
    std::vector<std::string> titles;
    for (const auto& t : r.json)
        titles.push_back(t["title"]);
    EXPECT_EQ(titles, (std::vector<std::string>{"d1t1/12", "d1t2", "d1t10", "d2/2t1", "d2t3"}));
    EXPECT_EQ(r.json[2]["track_number"], "10");
    expect_keys(r.json[0], kTrackKeys);
}

}  // namespace
}  // namespace sonique::test
