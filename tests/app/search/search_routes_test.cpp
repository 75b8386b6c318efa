// GET /api/search/typeahead and POST /api/search/ (api-contract.md §13) through HTTP: shapes,
// the frontend's exact call, facets and filters, page rules and every 422.
#include <gtest/gtest.h>

#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class SearchRoutes : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("search_routes");
        auto c = server_->client();
        int64_t radiohead = make_artist(*c, "Radiohead");
        int64_t bjork = make_artist(*c, "Björk");
        make_artist(*c, "AC/DC");
        int64_t ok = make_album(*c, "OK Computer", radiohead, {{"release_year", "1997"}});
        make_track(*c, "Paranoid Android", "/m/pa.flac", radiohead,
                   {{"album_id", ok}, {"genre", "Rock"}, {"year", "1997"}});
        make_track(*c, "Airbag", "/m/ab.flac", radiohead,
                   {{"album_id", ok}, {"genre", "Alternative"}, {"year", "1997"}});
        make_track(*c, "Jóga", "/m/jo.flac", bjork, {{"genre", "Electronic"}, {"year", "1997"}});
        make_track(*c, "Radio Song", "/m/rs.flac", bjork, {{"genre", "Pop"}, {"year", "2001"}});
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    SearchRoutes() : c_(server_->client()) {}

    Reply search(const Json& body) { return post(*c_, "/api/search/", body); }
    static void expect_invalid(const Reply& r, const Json& loc) {
        EXPECT_EQ(r.status, 422) << r.body;
        ASSERT_TRUE(r.json.contains("detail") && r.json["detail"].is_array()) << r.body;
        ASSERT_FALSE(r.json["detail"].empty());
        EXPECT_EQ(r.json["detail"][0]["loc"], loc) << r.body;
        EXPECT_TRUE(r.json["detail"][0].contains("msg") && r.json["detail"][0].contains("type"));
    }

    static TestServer* server_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* SearchRoutes::server_ = nullptr;

TEST_F(SearchRoutes, TheFrontendsTypeaheadCall) {
    for (const char* path : {"/api/search/typeahead?q=radioh", "/api/search/typeahead/?q=radioh"}) {
        Reply r = get(*c_, path);
        ASSERT_EQ(r.status, 200) << r.body;
        ASSERT_TRUE(r.json["items"].is_array());
        ASSERT_FALSE(r.json["items"].empty());
        const Json& first = r.json["items"][0];
        expect_keys(first, {"id", "title", "artist", "album", "type"});
        EXPECT_EQ(first["type"], "artist");
        EXPECT_EQ(first["title"], "Radiohead");
        EXPECT_EQ(first["artist"], "Radiohead");
        EXPECT_TRUE(first["album"].is_null());
    }
    // Accents in the URL, typed without them, and a typo.
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=bj%C3%B6rk").json["items"][0]["title"], "Björk");
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=joga").json["items"][0]["title"], "Jóga");
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=acdc").json["items"][0]["title"], "AC/DC");
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=paranod+android").json["items"][0]["title"],
              "Paranoid Android");
    Json track = get(*c_, "/api/search/typeahead?q=airbag").json["items"][0];
    EXPECT_EQ(track["type"], "track");
    EXPECT_EQ(track["artist"], "Radiohead");
    EXPECT_EQ(track["album"], "OK Computer");
}

TEST_F(SearchRoutes, TypeaheadLimitsAndBlankQueries) {
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=radio&limit=1").json["items"].size(), 1u);
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=radio&limit=50").status, 200);
    for (const char* path :
         {"/api/search/typeahead", "/api/search/typeahead?q=", "/api/search/typeahead?q=%20%20"}) {
        Reply r = get(*c_, path);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.json, Json::parse(R"({"items":[]})")) << path;
    }
    expect_invalid(get(*c_, "/api/search/typeahead?q=a&limit=0"), {"query", "limit"});
    expect_invalid(get(*c_, "/api/search/typeahead?q=a&limit=51"), {"query", "limit"});
    expect_invalid(get(*c_, "/api/search/typeahead?q=a&limit=ten"), {"query", "limit"});
    expect_invalid(get(*c_, "/api/search/typeahead?q=%FF"), {"query", "q"});
    // 4,000 characters: cut to 200 and answered like any query; 10,000 do not fit in a request
    // line and are refused by the HTTP core (414) before any search.
    Reply cut = get(*c_, "/api/search/typeahead?q=" + std::string(4000, 'x'));
    EXPECT_EQ(cut.status, 200);
    EXPECT_EQ(cut.json, Json::parse(R"({"items":[]})"));
    EXPECT_EQ(get(*c_, "/api/search/typeahead?q=" + std::string(10000, 'x')).status, 414);
}

TEST_F(SearchRoutes, SearchAnswersItsShape) {
    Reply r = search({{"query", "radiohead"}});
    ASSERT_EQ(r.status, 200) << r.body;
    expect_keys(r.json, {"total", "items", "facets", "page", "total_pages", "suggestion"});
    expect_keys(r.json["facets"], {"genres", "artists", "decades"});
    ASSERT_GE(r.json["total"].get<int64_t>(), 1);
    const Json& artist = r.json["items"][0];
    expect_keys(artist,
                {"id", "title", "artist", "album", "genre", "path", "type", "hybrid_score"});
    EXPECT_EQ(artist["type"], "artist");
    EXPECT_TRUE(artist["id"].is_number_integer());  // (fixed): was null
    EXPECT_EQ(artist["title"], "Radiohead");
    EXPECT_EQ(artist["artist"], "Radiohead");
    EXPECT_EQ(r.json["page"], 1);
    EXPECT_EQ(r.json["total_pages"], 1);
    EXPECT_EQ(post(*c_, "/api/search", {{"query", "radiohead"}}).json, r.json);
}

TEST_F(SearchRoutes, FacetsFollowTheQueryAndFilters) {
    Json all = search({{"query", "radio"}}).json;
    // Radiohead (artist: Rock, Alternative) and Radio Song (track: Pop); not Electronic.
    Json names = Json::array();
    for (const auto& g : all["facets"]["genres"])
        names.push_back(g["name"]);
    EXPECT_EQ(names, Json::parse(R"(["Alternative","Pop","Rock"])")) << all.dump();
    Json pop = search({{"query", "radio"}, {"filters", {{"genre", {"pop"}}}}}).json;
    ASSERT_EQ(pop["total"], 1) << pop.dump();
    EXPECT_EQ(pop["items"][0]["title"], "Radio Song");
    EXPECT_EQ(pop["items"][0]["path"], "/m/rs.flac");
    EXPECT_EQ(pop["facets"]["decades"], Json::parse(R"([{"name":"2000s","count":1}])"));
    Json tracks = search({{"query", "radio"}, {"filters", {{"type", {"track"}}}}}).json;
    EXPECT_EQ(tracks["total"], 1);
    Json by = search({{"query", "radio"}, {"filters", {{"artist", {"björk"}}}}}).json;
    ASSERT_EQ(by["total"], 1);
    EXPECT_EQ(by["items"][0]["artist"], "Björk");
}

TEST_F(SearchRoutes, PageRulesOfTheContract) {
    Json first = search({{"query", "radio"}, {"page_size", 1}}).json;
    EXPECT_EQ(first["items"].size(), 1u);
    EXPECT_EQ(first["total_pages"], first["total"]);
    // page < 1 reads as 1; page_size outside 1..100 as 20.
    EXPECT_EQ(search({{"query", "radio"}, {"page_size", 1}, {"page", 0}}).json, first);
    EXPECT_EQ(search({{"query", "radio"}, {"page_size", 1}, {"page", -5}}).json["page"], 1);
    Json big = search({{"query", "radio"}, {"page_size", 500}}).json;
    EXPECT_EQ(big["total_pages"], 1);
    EXPECT_EQ(big["items"].size(), big["total"].get<size_t>());
    Json past = search({{"query", "radio"}, {"page", 99}}).json;
    EXPECT_TRUE(past["items"].empty());
    EXPECT_EQ(past["page"], 99);
    Json empty = search({{"query", "  "}}).json;
    EXPECT_EQ(empty["total"], 0);
    EXPECT_EQ(empty["items"], Json::array());
    EXPECT_EQ(empty["facets"]["genres"], Json::array());
}

TEST_F(SearchRoutes, SuggestsWhenATypoFindsLittle) {
    EXPECT_EQ(search({{"query", "radiohed"}}).json["suggestion"], "Radiohead");
    EXPECT_TRUE(search({{"query", "radiohead"}}).json["suggestion"].is_null());
}

TEST_F(SearchRoutes, BadBodiesAre422) {
    expect_invalid(search(Json::object()), {"body", "query"});
    expect_invalid(search({{"query", 5}}), {"body", "query"});
    expect_invalid(search({{"query", "a"}, {"page", "two"}}), {"body", "page"});
    expect_invalid(search({{"query", "a"}, {"page_size", 1.5}}), {"body", "page_size"});
    expect_invalid(search({{"query", "a"}, {"filters", {{"genre", "Rock"}}}}),
                   {"body", "filters", "genre"});
    expect_invalid(search({{"query", "a"}, {"filters", {{"type", {1}}}}}),
                   {"body", "filters", "type"});
    expect_invalid(search({{"query", "a"}, {"filters", 3}}), {"body", "filters"});
    expect_invalid(post(*c_, "/api/search/", Json::array()), {"body"});
    Reply bad = call(*c_, "POST", "/api/search/", "{not json");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(search({{"query", std::string(10000, 'y')}}).status, 200);
}

}  // namespace
}  // namespace sonique::test
