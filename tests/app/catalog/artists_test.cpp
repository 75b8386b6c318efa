// /api/artists against a real server, PostgreSQL and Redis (api-contract.md §4).
#include "catalog_support.hpp"
#include "db/connection.hpp"

namespace sonique::test {
namespace {

class Artists : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("api_artists"); }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* Artists::server_ = nullptr;

TEST_F(Artists, CreateAnswersTheArtistShape) {
    auto r = post(*c_, "/api/artists/",
                  {{"name", "Shape Artist"}, {"musicbrainz_artistid", "mb-shape"}});
    ASSERT_EQ(r.status, 200) << r.body;
    expect_keys(r.json, kArtistKeys);
    EXPECT_EQ(r.json["name"], "Shape Artist");
    EXPECT_EQ(r.json["musicbrainz_artistid"], "mb-shape");
    EXPECT_TRUE(is_iso_timestamp(r.json["date_added"])) << r.json["date_added"];
    EXPECT_TRUE(is_iso_timestamp(r.json["date_modified"]));
    EXPECT_EQ(r.json["covers"], Json::array());
    auto bare = post(*c_, "/api/artists", {{"name", "No Mbid"}});
    ASSERT_EQ(bare.status, 200);
    EXPECT_TRUE(bare.json["musicbrainz_artistid"].is_null());
}

TEST_F(Artists, DuplicateNameIsCaseInsensitive409) {
    make_artist(*c_, "Dup Band");
    auto r = post(*c_, "/api/artists/", {{"name", "DUP band"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json, Json({{"detail", "Artiste déjà existant"}}));
}

TEST_F(Artists, CreateValidation422) {
    for (const char* body :
         {R"({})", R"({"name": 12.5e400})", R"({"name": ""})", R"({"name": [1]})", R"([1,2])",
          "not json", R"({"name": "a\u0000b"})"}) {
        auto r = call(*c_, "POST", "/api/artists/", body);
        EXPECT_EQ(r.status, 422) << body << " -> " << r.body;
        ASSERT_TRUE(r.json["detail"].is_array()) << body;
        EXPECT_TRUE(r.json["detail"][0].contains("loc"));
    }
    auto r = post(*c_, "/api/artists/", Json::object());
    EXPECT_EQ(r.json["detail"][0]["loc"], Json({"body", "name"}));
    EXPECT_EQ(r.json["detail"][0]["type"], "missing");
    auto bad_utf8 = call(*c_, "POST", "/api/artists/", "{\"name\": \"\xff\xfe\"}");
    EXPECT_EQ(bad_utf8.status, 422);
}

TEST_F(Artists, ListAsTheFrontendCallsItWithCountAndCaseInsensitiveOrder) {
    TestServer local("api_artists_list");
    auto c = local.client();
    for (const char* n : {"beta", "Alpha", "gamma", "Delta"})
        make_artist(*c, n);
    auto r = get(*c, "/api/artists/?skip=0&limit=10");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json["count"], 4);
    std::vector<std::string> names;
    for (const auto& a : r.json["results"]) {
        expect_keys(a, kArtistKeys);
        names.push_back(a["name"]);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "beta", "Delta", "gamma"}));
    auto page = get(*c, "/api/artists?skip=1&limit=2");
    EXPECT_EQ(page.json["count"], 4);
    ASSERT_EQ(page.json["results"].size(), 2u);
    EXPECT_EQ(page.json["results"][0]["name"], "beta");
    auto count = get(*c, "/api/artists/count");
    EXPECT_EQ(count.status, 200);
    EXPECT_EQ(count.json, Json({{"count", 4}}));
    EXPECT_FALSE(count.header("ETag").empty());
    EXPECT_EQ(get(*c, "/api/artists/count/").json, Json({{"count", 4}}));
}

TEST_F(Artists, PaginationBoundsAre422) {
    for (const char* q : {"?limit=0", "?limit=100000", "?skip=-1", "?limit=abc", "?skip=1.5"}) {
        auto r = get(*c_, std::string("/api/artists/") + q);
        EXPECT_EQ(r.status, 422) << q;
        EXPECT_TRUE(r.json["detail"].is_array()) << q;
    }
    EXPECT_EQ(get(*c_, "/api/artists/?limit=1000").status, 200);
    EXPECT_EQ(get(*c_, "/api/artists/?limit=1").status, 200);
}

TEST_F(Artists, ListEmbedsCoversWithTheCoverShape) {
    TestServer local("api_artists_covers");
    auto c = local.client();
    std::vector<int64_t> ids;
    for (int i = 0; i < 30; ++i)
        ids.push_back(make_artist(*c, "Covered " + std::to_string(100 + i)));
    for (size_t i = 0; i < ids.size(); i += 2)
        insert_cover(local.database_url(), "artist", ids[i]);
    auto r = get(*c, "/api/artists/?limit=100");
    ASSERT_EQ(r.status, 200);
    int with = 0;
    for (const auto& a : r.json["results"]) {
        if (a["covers"].empty()) continue;
        ++with;
        const Json& cv = a["covers"][0];
        expect_keys(cv, kCoverKeys);
        EXPECT_EQ(cv["url"], "/covers/artist/" + std::to_string(a["id"].get<int64_t>()));
        EXPECT_EQ(cv["entity_type"], "artist");
        EXPECT_EQ(cv["entity_id"], a["id"]);
        EXPECT_TRUE(cv["cover_data"].is_null());
        EXPECT_TRUE(is_iso_timestamp(cv["date_added"]));
    }
    EXPECT_EQ(with, 15);
}

TEST_F(Artists, SearchByNameMbidAndGenre) {
    int64_t rock = make_artist(*c_, "Searchable Rockers");
    int64_t jazz = make_artist(*c_, "Searchable Jazzmen");
    make_track(*c_, "R1", "/m/search/r1.flac", rock, {{"genre", "Rock"}});
    make_track(*c_, "J1", "/m/search/j1.flac", jazz, {{"genre_tags", {"Jazz"}}});
    auto all = get(*c_, "/api/artists/search?name=SEARCHABLE");
    ASSERT_EQ(all.status, 200);
    ASSERT_EQ(all.json.size(), 2u);
    EXPECT_EQ(all.json[0]["name"], "Searchable Jazzmen");
    expect_keys(all.json[0], kArtistKeys);
    auto by_genre = get(*c_, "/api/artists/search?name=searchable&genre=rock");
    ASSERT_EQ(by_genre.json.size(), 1u);
    EXPECT_EQ(by_genre.json[0]["id"], rock);
    auto by_tag = get(*c_, "/api/artists/search?genre=jazz");
    ASSERT_EQ(by_tag.json.size(), 1u);
    EXPECT_EQ(by_tag.json[0]["id"], jazz);
    auto literal = get(*c_, "/api/artists/search?name=%25");
    EXPECT_EQ(literal.json, Json::array());  // % is matched literally
    post(*c_, "/api/artists/", {{"name", "Mbid Holder"}, {"musicbrainz_artistid", "mb-holder"}});
    auto by_mbid = get(*c_, "/api/artists/search?musicbrainz_artistid=mb-holder");
    ASSERT_EQ(by_mbid.json.size(), 1u);
    EXPECT_EQ(by_mbid.json[0]["name"], "Mbid Holder");
    EXPECT_EQ(get(*c_, "/api/artists/search?name=%FF%FE").status, 422);
    EXPECT_EQ(get(*c_, "/api/artists/search?limit=0").status, 422);
}

TEST_F(Artists, BatchGetOrCreateInInputOrder) {
    int64_t existing = make_artist(*c_, "Batch Existing");
    Json body = Json::array({{{"name", "Batch New"}},
                             {{"name", "batch EXISTING"}},
                             {{"name", "Batch New"}, {"musicbrainz_artistid", "mb-batch"}},
                             {{"name", "Batch Other"}, {"musicbrainz_artistid", "mb-batch2"}}});
    auto r = post(*c_, "/api/artists/batch", body);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json.size(), 4u);
    EXPECT_EQ(r.json[0]["name"], "Batch New");
    EXPECT_EQ(r.json[1]["id"], existing);
    EXPECT_EQ(r.json[2]["id"], r.json[0]["id"]);
    EXPECT_EQ(r.json[3]["musicbrainz_artistid"], "mb-batch2");
    expect_keys(r.json[3], kArtistKeys);
    auto again = post(*c_, "/api/artists/batch", body);
    EXPECT_EQ(again.json, r.json);
    EXPECT_EQ(post(*c_, "/api/artists/batch", {{"name", "x"}}).status, 422);
    auto bad = post(*c_, "/api/artists/batch", Json::array({{{"name", "ok"}}, {{"nom", "x"}}}));
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json["detail"][0]["loc"], Json({"body", 1, "name"}));
    EXPECT_EQ(post(*c_, "/api/artists/batch", Json::array()).json, Json::array());
}

TEST_F(Artists, GetPutDeleteAnd404s) {
    int64_t id = make_artist(*c_, "Crud Artist");
    std::string path = "/api/artists/" + std::to_string(id);
    auto r = get(*c_, path);
    ASSERT_EQ(r.status, 200);
    expect_keys(r.json, kArtistKeys);
    auto up = put(*c_, path, {{"name", "Crud Renamed"}, {"musicbrainz_artistid", "mb-crud"}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["name"], "Crud Renamed");
    EXPECT_EQ(get(*c_, path).json["name"], "Crud Renamed");
    auto keep = put(*c_, path, {{"musicbrainz_artistid", nullptr}});
    EXPECT_EQ(keep.json["name"], "Crud Renamed");
    EXPECT_TRUE(keep.json["musicbrainz_artistid"].is_null());
    make_artist(*c_, "Crud Taken");
    EXPECT_EQ(put(*c_, path, {{"name", "crud taken"}}).json,
              Json({{"detail", "Artiste déjà existant"}}));
    EXPECT_EQ(put(*c_, path, {{"name", 5.5}}).status, 422);
    for (const char* missing : {"/api/artists/999999", "/api/artists/-1", "/api/artists/0",
                                "/api/artists/99999999999999999999999"}) {
        auto m = get(*c_, missing);
        EXPECT_EQ(m.status, 404) << missing;
        EXPECT_EQ(m.json, Json({{"detail", "Artiste non trouvé"}})) << missing;
        EXPECT_EQ(put(*c_, missing, {{"name", "x"}}).status, 404) << missing;
        EXPECT_EQ(del(*c_, missing).status, 404) << missing;
    }
    EXPECT_EQ(get(*c_, "/api/artists/abc").status, 422);
    EXPECT_EQ(get(*c_, "/api/artists/1.5").status, 422);
    auto d = del(*c_, path);
    EXPECT_EQ(d.status, 204);
    EXPECT_TRUE(d.body.empty());
    EXPECT_EQ(get(*c_, path).status, 404);
}

TEST_F(Artists, DeleteRemovesAlbumsTracksAndSimilarity) {
    int64_t a = make_artist(*c_, "Doomed Artist");
    int64_t b = make_artist(*c_, "Survivor Artist");
    int64_t album = make_album(*c_, "Doomed Album", a);
    int64_t track = make_track(*c_, "Doomed Song", "/m/doomed.flac", a, {{"album_id", album}});
    ASSERT_EQ(post(*c_, "/api/artists/" + std::to_string(b) + "/similar",
                   {{"similar_artist_id", a}, {"weight", 0.5}})
                  .status,
              200);
    EXPECT_EQ(del(*c_, "/api/artists/" + std::to_string(a)).status, 204);
    EXPECT_EQ(get(*c_, "/api/albums/" + std::to_string(album)).status, 404);
    EXPECT_EQ(get(*c_, "/api/tracks/" + std::to_string(track)).status, 404);
    EXPECT_EQ(get(*c_, "/api/artists/" + std::to_string(b) + "/similar").json, Json::array());
}

TEST_F(Artists, TracksOfAnArtistByAlbumDiscAndTrack) {
    int64_t a = make_artist(*c_, "Ordered Artist");
    int64_t old_album = make_album(*c_, "B Old", a, {{"release_year", 1990}});
    int64_t new_album = make_album(*c_, "A New", a, {{"release_year", 2000}});
    make_track(*c_, "new-2", "/m/ord/n2.flac", a, {{"album_id", new_album}, {"track_number", "2"}});
    make_track(*c_, "old-10", "/m/ord/o10.flac", a,
               {{"album_id", old_album}, {"track_number", "10/12"}});
    make_track(*c_, "old-2", "/m/ord/o2.flac", a,
               {{"album_id", old_album}, {"track_number", "2/12"}});
    make_track(*c_, "new-1-d2", "/m/ord/n1d2.flac", a,
               {{"album_id", new_album}, {"track_number", "1"}, {"disc_number", "2"}});
    auto r = get(*c_, "/api/artists/" + std::to_string(a) + "/tracks");
    ASSERT_EQ(r.status, 200);
    std::vector<std::string> titles;
    for (const auto& t : r.json)
        titles.push_back(t["title"]);
    EXPECT_EQ(titles, (std::vector<std::string>{"old-2", "old-10", "new-2", "new-1-d2"}));
    expect_keys(r.json[0], kTrackKeys);
    EXPECT_EQ(get(*c_, "/api/artists/999999/tracks").json,
              Json({{"detail", "Artiste non trouvé"}}));
}

TEST_F(Artists, SimilarBothFormsAndOrdering) {
    int64_t a = make_artist(*c_, "Sim Source");
    int64_t b = make_artist(*c_, "Sim Target");
    std::string base = "/api/artists/" + std::to_string(a) + "/similar";
    auto one = post(*c_, base, {{"similar_artist_id", b}, {"weight", 0.3}});
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json["similar_artist_name"], "Sim Target");
    auto list = post(*c_, base,
                     Json::array({{{"name", "Sim New One"}, {"weight", 0.9}},
                                  {{"name", "sim target"}, {"weight", "0.6"}},
                                  {{"name", "Sim Source"}, {"weight", 1}}}));
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.json, Json({{"success", true}, {"message", "Stored 2 similar artists"}}));
    auto r = get(*c_, base);
    ASSERT_EQ(r.status, 200);
    ASSERT_EQ(r.json.size(), 3u);
    expect_keys(r.json[0], {"id", "artist_id", "similar_artist_id", "weight", "source",
                            "similar_artist_name", "date_added", "date_modified"});
    EXPECT_EQ(r.json[0]["similar_artist_name"], "Sim New One");
    EXPECT_DOUBLE_EQ(r.json[1]["weight"].get<double>(), 0.6);
    EXPECT_EQ(r.json[1]["source"], "lastfm");
    EXPECT_EQ(r.json[2]["source"], "manual");
    EXPECT_EQ(get(*c_, base + "?limit=1").json.size(), 1u);
    EXPECT_EQ(get(*c_, base + "?limit=51").status, 422);
    EXPECT_EQ(get(*c_, base + "?limit=0").status, 422);
    EXPECT_EQ(make_artist(*c_, "Sim Again") > 0, true);
    EXPECT_EQ(post(*c_, base, {{"similar_artist_id", b}, {"weight", 1.5}}).status, 422);
    EXPECT_EQ(post(*c_, base, {{"weight", 0.5}}).status, 422);
    EXPECT_EQ(post(*c_, base, {{"similar_artist_id", 999999}, {"weight", 0.5}}).status, 404);
    EXPECT_EQ(get(*c_, "/api/artists/999999/similar").json,
              Json({{"detail", "Artiste non trouvé"}}));
    EXPECT_EQ(post(*c_, "/api/artists/999999/similar", Json::array()).status, 404);
}

TEST_F(Artists, LastfmInfoIsStored) {
    int64_t a = make_artist(*c_, "Lastfm Artist");
    Json info = {{"url", "https://last.fm/x"},
                 {"listeners", 12},
                 {"playcount", 34},
                 {"tags", {"rock", "pop"}}};
    auto r = put(*c_, "/api/artists/" + std::to_string(a) + "/lastfm-info", info);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["success"], true);
    EXPECT_TRUE(r.json["message"].is_string());
    db::Connection conn({server_->database_url()});
    auto stored = conn.exec("SELECT lastfm_info::text FROM artists WHERE id = $1", db::Params(a));
    EXPECT_EQ(Json::parse(stored.str(0, 0)), info);
    auto missing = put(*c_, "/api/artists/999999/lastfm-info", info);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json, Json({{"detail", "Artiste non trouvé"}}));
    EXPECT_EQ(put(*c_, "/api/artists/" + std::to_string(a) + "/lastfm-info", Json::array()).status,
              422);
}

}  // namespace
}  // namespace sonique::test
