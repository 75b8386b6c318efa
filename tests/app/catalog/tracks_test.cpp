// /api/tracks against a real server, PostgreSQL and Redis (api-contract.md §6); audio features:
// track_features_test.cpp.

#include "catalog_support.hpp"
#include "db/connection.hpp"

namespace sonique::test {
namespace {

class Tracks : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_tracks");
        auto c = server_->client();
        artist_ = make_artist(*c, "Track Owner");
        album_ = make_album(*c, "Track Album", artist_);
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    static int64_t artist_, album_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* Tracks::server_ = nullptr;
int64_t Tracks::artist_ = 0;
int64_t Tracks::album_ = 0;

TEST_F(Tracks, CreateAnswersTheFullTrackShape) {
    Json body = {{"title", "Full"},
                 {"path", "/m/t/full.flac"},
                 {"track_artist_id", artist_},
                 {"album_id", album_},
                 {"duration", 245},
                 {"track_number", "3/12"},
                 {"disc_number", "1"},
                 {"year", 2001},
                 {"genre", "Rock"},
                 {"file_type", "audio/flac"},
                 {"bitrate", 900},
                 {"file_mtime", 1700000000.25},
                 {"file_size", 123456},
                 {"genre_tags", {"rock", " indie "}},
                 {"mood_tags", {"happy"}},
                 {"unknown_key", "ignored"}};
    auto r = post(*c_, "/api/tracks/", body);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_keys(r.json, kTrackKeys);
    EXPECT_EQ(r.json["track_number"], "3/12");
    EXPECT_EQ(r.json["year"], "2001");
    EXPECT_EQ(r.json["duration"], 245);
    EXPECT_DOUBLE_EQ(r.json["file_mtime"].get<double>(), 1700000000.25);
    EXPECT_EQ(r.json["genre_tags"], Json({"indie", "rock"}));
    EXPECT_EQ(r.json["mood_tags"], Json({"happy"}));
    EXPECT_TRUE(r.json["bpm"].is_null());
    EXPECT_TRUE(r.json["musicbrainz_id"].is_null());
    EXPECT_EQ(r.json["artists"], Json::array({{{"id", artist_}, {"name", "Track Owner"}}}));
    EXPECT_EQ(r.json["covers"], Json::array());
    EXPECT_TRUE(is_iso_timestamp(r.json["date_added"]));
    auto dup = post(*c_, "/api/tracks/", body);
    EXPECT_EQ(dup.status, 409);
    EXPECT_EQ(dup.json, Json({{"detail", "Une piste avec ce chemin existe déjà"}}));
}

TEST_F(Tracks, ArtistsListFallsBackToTheMainArtist) {
    int64_t id = make_track(*c_, "Lonely Fallback", "/m/t/lonely.flac", artist_);
    db::Connection conn({server_->database_url()});
    conn.exec("DELETE FROM track_artists WHERE track_id = $1", db::Params(id));
    auto r = get(*c_, "/api/tracks/search?title=lonely%20fallback");
    ASSERT_EQ(r.json.size(), 1u);
    EXPECT_EQ(r.json[0]["artists"], Json::array({{{"id", artist_}, {"name", "Track Owner"}}}));
}

TEST_F(Tracks, CreateValidation) {
    auto r = post(*c_, "/api/tracks/", {{"title", "x"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(r.json["detail"].size(), 2u);  // path and track_artist_id
    EXPECT_EQ(post(*c_, "/api/tracks/",
                   {{"title", "x"},
                    {"path", "/m/t/v.flac"},
                    {"track_artist_id", artist_},
                    {"duration", "long"}})
                  .status,
              422);
    EXPECT_EQ(post(*c_, "/api/tracks/",
                   {{"title", "x"},
                    {"path", "/m/t/v.flac"},
                    {"track_artist_id", artist_},
                    {"bitrate", 1e12}})
                  .status,
              422);
    EXPECT_EQ(post(*c_, "/api/tracks/",
                   {{"title", "x"},
                    {"path", "/m/t/v.flac"},
                    {"track_artist_id", artist_},
                    {"genre_tags", "rock"}})
                  .status,
              422);
    auto no_artist = post(*c_, "/api/tracks/",
                          {{"title", "x"}, {"path", "/m/t/v.flac"}, {"track_artist_id", 999999}});
    EXPECT_EQ(no_artist.json, Json({{"detail", "Artiste non trouvé"}}));
    auto no_album = post(*c_, "/api/tracks/",
                         {{"title", "x"},
                          {"path", "/m/t/v.flac"},
                          {"track_artist_id", artist_},
                          {"album_id", 999999}});
    EXPECT_EQ(no_album.json, Json({{"detail", "Album non trouvé"}}));
}

TEST_F(Tracks, GetPutTagsDeleteAnd404) {
    int64_t id = make_track(*c_, "Crud", "/m/t/crud.flac", artist_, {{"genre_tags", {"a"}}});
    std::string path = "/api/tracks/" + std::to_string(id);
    auto g = get(*c_, path);
    ASSERT_EQ(g.status, 200);
    expect_keys(g.json, kTrackKeys);
    auto up = put(*c_, path, {{"title", "Crud 2"}, {"bitrate", 320}, {"mood_tags", {"calm"}}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["title"], "Crud 2");
    EXPECT_EQ(up.json["bitrate"], 320);
    EXPECT_EQ(up.json["genre_tags"], Json({"a"}));  // not given: links kept
    EXPECT_EQ(up.json["mood_tags"], Json({"calm"}));
    EXPECT_EQ(get(*c_, path).json["title"], "Crud 2");
    auto tags = put(*c_, path + "/tags", {{"genre_tags", {"b", "c"}}});
    ASSERT_EQ(tags.status, 200);
    EXPECT_EQ(tags.json["genre_tags"], Json({"b", "c"}));
    EXPECT_EQ(tags.json["mood_tags"], Json({"calm"}));
    EXPECT_EQ(put(*c_, path + "/tags", {{"mood_tags", Json::array()}}).json["mood_tags"],
              Json::array());
    EXPECT_EQ(put(*c_, path, {{"bitrate", "fast"}}).status, 422);
    EXPECT_EQ(put(*c_, path, {{"path", "/m/t/full.flac"}}).status, 409);
    for (const char* missing :
         {"/api/tracks/999999", "/api/tracks/-1", "/api/tracks/99999999999999999999"}) {
        auto m = get(*c_, missing);
        EXPECT_EQ(m.status, 404) << missing;
        EXPECT_EQ(m.json, Json({{"detail", "Piste non trouvée"}}));
        EXPECT_EQ(put(*c_, missing, {{"title", "x"}}).json,
                  Json({{"detail", "Piste non trouvée"}}));
        EXPECT_EQ(put(*c_, std::string(missing) + "/tags", {{"genre_tags", {"x"}}}).status, 404);
        EXPECT_EQ(del(*c_, missing).json, Json({{"detail", "Piste non trouvée"}}));
    }
    EXPECT_EQ(get(*c_, "/api/tracks/abc").status, 422);
    EXPECT_EQ(del(*c_, path).status, 204);
    EXPECT_EQ(get(*c_, path).status, 404);
}

TEST_F(Tracks, ListCountAndSearch) {
    TestServer local("api_tracks_search");
    auto c = local.client();
    int64_t a = make_artist(*c, "Searcher");
    int64_t b = make_artist(*c, "Other One");
    int64_t al = make_album(*c, "Search Album", a);
    make_track(*c, "Hello World", "/m/s/hello.flac", a,
               {{"album_id", al},
                {"genre", "Rock"},
                {"year", "1999-01-01"},
                {"genre_tags", {"rock"}},
                {"mood_tags", {"happy"}},
                {"musicbrainz_id", "mb-s1"}});
    make_track(
        *c, "Goodbye", "/m/s/bye.mp3", b,
        {{"genre", "Jazz"}, {"year", "2005"}, {"genre_tags", {"jazz"}}, {"mood_tags", {"sad"}}});
    auto all = get(*c, "/api/tracks/?skip=0&limit=10");
    ASSERT_EQ(all.status, 200);
    ASSERT_EQ(all.json.size(), 2u);
    EXPECT_LT(all.json[0]["id"].get<int64_t>(), all.json[1]["id"].get<int64_t>());
    EXPECT_EQ(get(*c, "/api/tracks?skip=1").json.size(), 1u);
    EXPECT_EQ(get(*c, "/api/tracks/count").json, Json({{"count", 2}}));
    auto one = [&](const std::string& q) {
        auto r = get(*c, "/api/tracks/search?" + q);
        EXPECT_EQ(r.status, 200) << q;
        return r.json.size();
    };
    EXPECT_EQ(one("title=hello"), 1u);
    EXPECT_EQ(one("artist=SEARCH"), 1u);
    EXPECT_EQ(one("album=search"), 1u);
    EXPECT_EQ(one("genre=jaz"), 1u);
    EXPECT_EQ(one("year=1999"), 1u);
    EXPECT_EQ(one("path=.mp3"), 1u);
    EXPECT_EQ(one("musicbrainz_id=mb-s1"), 1u);
    EXPECT_EQ(one("genre_tags=rock"), 1u);
    EXPECT_EQ(one("genre_tags=rock&genre_tags=jazz"), 2u);
    EXPECT_EQ(one("mood_tags=sad&mood_tags=none"), 1u);
    EXPECT_EQ(one("genre_tags=rock&mood_tags=sad"), 0u);
    EXPECT_EQ(one(""), 2u);
    EXPECT_EQ(one("limit=1"), 1u);
    EXPECT_EQ(get(*c, "/api/tracks/search?limit=1001").status, 422);
    EXPECT_EQ(get(*c, "/api/tracks/search?title=%C3%28").status, 422);
    auto by_artist = get(*c, "/api/tracks/artists/" + std::to_string(a));
    ASSERT_EQ(by_artist.json.size(), 1u);
    EXPECT_EQ(by_artist.json[0]["title"], "Hello World");
    auto by_album =
        get(*c, "/api/tracks/artists/" + std::to_string(a) + "/albums/" + std::to_string(al));
    ASSERT_EQ(by_album.json.size(), 1u);
    EXPECT_EQ(
        get(*c, "/api/tracks/artists/" + std::to_string(b) + "/albums/" + std::to_string(al)).json,
        Json::array());
    EXPECT_EQ(get(*c, "/api/tracks/artists/abc").status, 422);
}

TEST_F(Tracks, BatchUpsertByMbidElsePathWithMtimeSizeRule) {
    int64_t first = make_track(*c_, "Batch A", "/m/b/a.flac", artist_,
                               {{"file_mtime", 10.5}, {"file_size", 100}, {"genre_tags", {"old"}}});
    Json batch = Json::array({
        {{"title", "Batch A changed"},
         {"path", "/m/b/a.flac"},
         {"track_artist_id", artist_},
         {"file_mtime", 10.5},
         {"file_size", 100},
         {"genre_tags", {"new"}}},
        {{"title", "Batch B"},
         {"path", "/m/b/b.flac"},
         {"track_artist_id", artist_},
         {"musicbrainz_id", "mb-batch-b"},
         {"genre_tags", {"g1", "g2"}},
         {"mood_tags", {"m"}}},
    });
    auto r = post(*c_, "/api/tracks/batch", batch);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json.size(), 2u);
    EXPECT_EQ(r.json[0]["id"], first);
    EXPECT_EQ(r.json[0]["title"], "Batch A");  // same mtime and size: left as is
    EXPECT_EQ(r.json[0]["genre_tags"], Json({"old"}));
    EXPECT_EQ(r.json[1]["genre_tags"], Json({"g1", "g2"}));
    expect_keys(r.json[1], kTrackKeys);
    int64_t b = r.json[1]["id"];
    Json second = Json::array({
        {{"title", "Batch A changed"},
         {"path", "/m/b/a.flac"},
         {"track_artist_id", artist_},
         {"file_mtime", 11.0},
         {"file_size", 100},
         {"genre_tags", {"new"}}},
        {{"title", "Batch B moved"},
         {"path", "/m/b/b-moved.flac"},
         {"track_artist_id", artist_},
         {"musicbrainz_id", "mb-batch-b"}},
    });
    auto r2 = post(*c_, "/api/tracks/batch", second);
    ASSERT_EQ(r2.status, 200) << r2.body;
    EXPECT_EQ(r2.json[0]["id"], first);
    EXPECT_EQ(r2.json[0]["title"], "Batch A changed");
    EXPECT_EQ(r2.json[0]["genre_tags"], Json({"new"}));
    EXPECT_EQ(r2.json[1]["id"], b);  // matched by MusicBrainz id
    EXPECT_EQ(r2.json[1]["path"], "/m/b/b-moved.flac");
    EXPECT_EQ(r2.json[1]["genre_tags"], Json({"g1", "g2"}));  // no tag key: links kept
    auto tags = get(*c_, "/api/tags/genre-tags/");
    bool has_g1 = false;
    for (const auto& t : tags.json)
        has_g1 = has_g1 || t["name"] == "g1";
    EXPECT_TRUE(has_g1);
    auto clash = post(*c_, "/api/tracks/batch",
                      Json::array({{{"title", "x"},
                                    {"path", "/m/b/a.flac"},
                                    {"track_artist_id", artist_},
                                    {"musicbrainz_id", "mb-batch-b"}}}));
    EXPECT_EQ(clash.status, 409);
    EXPECT_EQ(clash.json, Json({{"detail", "Une piste avec ce chemin existe déjà"}}));
    auto bad = post(*c_, "/api/tracks/batch", Json::array({{{"title", "x"}, {"path", "/m/b/x"}}}));
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json["detail"][0]["loc"], Json({"body", 0, "track_artist_id"}));
    EXPECT_EQ(post(*c_, "/api/tracks/batch", Json::object()).status, 422);
    EXPECT_EQ(post(*c_, "/api/tracks/batch", Json::array()).json, Json::array());
}

}  // namespace
}  // namespace sonique::test
