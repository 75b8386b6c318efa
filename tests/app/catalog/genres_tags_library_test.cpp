// /api/genres, /api/tags and /api/library against a real server (api-contract.md §7, §9).
#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class GenresTagsLibrary : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("api_genres"); }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* GenresTagsLibrary::server_ = nullptr;

TEST_F(GenresTagsLibrary, GenresCrudSearchAndErrors) {
    auto r = post(*c_, "/api/genres/", {{"name", "Rock"}});
    ASSERT_EQ(r.status, 201) << r.body;
    expect_keys(r.json, {"id", "name", "date_added", "date_modified"});
    EXPECT_TRUE(is_iso_timestamp(r.json["date_modified"]));
    post(*c_, "/api/genres", {{"name", "Hard Rock"}});
    post(*c_, "/api/genres", {{"name", "ambient"}});
    auto dup = post(*c_, "/api/genres/", {{"name", "ROCK"}});
    EXPECT_EQ(dup.status, 400);
    EXPECT_EQ(dup.json["detail"].get<std::string>().rfind("Erreur lors de la création", 0), 0u);
    EXPECT_EQ(post(*c_, "/api/genres/", Json::object()).status, 422);
    auto list = get(*c_, "/api/genres/?skip=0&limit=100");
    ASSERT_EQ(list.json.size(), 3u);
    EXPECT_EQ(list.json[0]["name"], "ambient");
    EXPECT_EQ(get(*c_, "/api/genres?limit=0").status, 422);
    EXPECT_EQ(get(*c_, "/api/genres/search?name=rock").json.size(), 2u);
    auto exact = get(*c_, "/api/genres/search?name=rock&exact_match=true");
    ASSERT_EQ(exact.json.size(), 1u);
    EXPECT_EQ(exact.json[0]["name"], "Rock");
    EXPECT_EQ(get(*c_, "/api/genres/search?exact_match=maybe").status, 422);
    std::string path = "/api/genres/" + std::to_string(r.json["id"].get<int64_t>());
    EXPECT_EQ(get(*c_, path).json["name"], "Rock");
    auto up = put(*c_, path, {{"name", "Rock & Roll"}});
    EXPECT_EQ(up.status, 200);
    EXPECT_EQ(up.json["name"], "Rock & Roll");
    EXPECT_EQ(put(*c_, path, {{"name", "ambient"}}).status, 400);
    EXPECT_EQ(del(*c_, path).status, 204);
    for (const char* m : {"/api/genres/999999", "/api/genres/-5"}) {
        EXPECT_EQ(get(*c_, m).json, Json({{"detail", "Genre non trouvé"}}));
        EXPECT_EQ(put(*c_, m, {{"name", "x"}}).status, 404);
        EXPECT_EQ(del(*c_, m).status, 404);
    }
}

TEST_F(GenresTagsLibrary, TagsByKind) {
    auto g = post(*c_, "/api/tags/genre-tags/", {{"name", "shoegaze"}});
    ASSERT_EQ(g.status, 200) << g.body;
    EXPECT_EQ(g.json.size(), 2u);
    EXPECT_EQ(g.json["name"], "shoegaze");
    post(*c_, "/api/tags/genre-tags", {{"name", "ambient"}});
    auto dup = post(*c_, "/api/tags/genre-tags/", {{"name", "shoegaze"}});
    EXPECT_EQ(dup.status, 400);
    EXPECT_EQ(dup.json, Json({{"detail", "Un tag de genre avec ce nom existe déjà"}}));
    ASSERT_EQ(post(*c_, "/api/tags/mood-tags/", {{"name", "calm"}}).status, 200);
    auto mdup = post(*c_, "/api/tags/mood-tags/", {{"name", "calm"}});
    EXPECT_EQ(mdup.json, Json({{"detail", "Un tag d'humeur avec ce nom existe déjà"}}));
    auto list = get(*c_, "/api/tags/genre-tags/");
    ASSERT_EQ(list.status, 200);
    ASSERT_GE(list.json.size(), 2u);
    EXPECT_EQ(list.json[0]["name"], "ambient");
    auto moods = get(*c_, "/api/tags/mood-tags");
    ASSERT_EQ(moods.json.size(), 1u);
    EXPECT_EQ(moods.json[0]["name"], "calm");
    EXPECT_EQ(get(*c_, "/api/tags/?type=genre").json, list.json);
    EXPECT_EQ(get(*c_, "/api/tags?type=mood").json.size(), 1u);
    auto bad = get(*c_, "/api/tags/?type=other");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json, Json({{"detail", "Type de tag invalide"}}));
    EXPECT_EQ(get(*c_, "/api/tags/").status, 422);
    EXPECT_EQ(post(*c_, "/api/tags/mood-tags/", {{"name", 3}}).status, 422);
}

TEST_F(GenresTagsLibrary, LibraryTree) {
    TestServer local("api_library");
    auto c = local.client();
    int64_t b = make_artist(*c, "beta");
    int64_t a = make_artist(*c, "Alpha");
    int64_t z = make_album(*c, "Zed", a);
    int64_t y = make_album(*c, "yes", a);
    auto r = get(*c, "/api/library/tree");
    ASSERT_EQ(r.status, 200);
    Json expected = Json::array(
        {{{"id", "artist_" + std::to_string(a)},
          {"label", "Alpha"},
          {"children", Json::array({{{"id", "album_" + std::to_string(y)}, {"label", "yes"}},
                                    {{"id", "album_" + std::to_string(z)}, {"label", "Zed"}}})}},
         {{"id", "artist_" + std::to_string(b)}, {"label", "beta"}, {"children", Json::array()}}});
    EXPECT_EQ(r.json, expected);
    auto albums = get(*c, "/api/library/artist/" + std::to_string(a) + "/albums");
    EXPECT_EQ(albums.json, expected[0]["children"]);
    EXPECT_EQ(get(*c, "/api/library/artist/999999/albums").json, Json::array());
    EXPECT_EQ(get(*c, "/api/library/artist/-1/albums").json, Json::array());
    EXPECT_EQ(get(*c, "/api/library/artist/x/albums").status, 422);
    make_album(*c, "Aardvark", b);
    auto fresh = get(*c, "/api/library/tree");  // the write invalidated the cached tree
    EXPECT_EQ(fresh.json[1]["children"].size(), 1u);
}

}  // namespace
}  // namespace sonique::test
