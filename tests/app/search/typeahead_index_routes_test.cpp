// GET /api/search/typeahead answered by the typeahead index over HTTP (docs/search.md, "The
// typeahead index"): the header says which path answered, and an API write is read by the very
// next typeahead (renames, new names, removals), whichever path answers it; the same for
// POST /api/search/.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class TypeaheadIndexRoutes : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("typeahead_index_routes"); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    TypeaheadIndexRoutes() : c_(server_->client()) {}

    Reply typeahead(const std::string& q) { return get(*c_, "/api/search/typeahead?q=" + q); }
    // Waits (up to 20 s) until the index answers rather than the statement.
    void wait_for_index() {
        for (int i = 0; i < 400; ++i) {
            if (typeahead("x").header("X-Sonique-Typeahead") == "index") return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL() << "the typeahead index never answered";
    }
    std::vector<std::string> titles(const std::string& q) {
        std::vector<std::string> out;
        Reply r = typeahead(q);
        EXPECT_EQ(r.status, 200) << r.body;
        for (const auto& item : r.json["items"])
            out.push_back(item["title"].get<std::string>());
        return out;
    }

    static TestServer* server_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* TypeaheadIndexRoutes::server_ = nullptr;

TEST_F(TypeaheadIndexRoutes, ApiWritesAreReadAtOnce) {
    int64_t portishead = make_artist(*c_, "Portishead");
    int64_t glory = make_track(*c_, "Glory Box", "/m/gb.flac", portishead);
    wait_for_index();
    Reply r = typeahead("portis");
    EXPECT_EQ(r.header("X-Sonique-Typeahead"), "index");
    EXPECT_EQ(titles("portis"), std::vector<std::string>{"Portishead"});

    // A rename, a new track and a removal, each read by the next request.
    ASSERT_EQ(put(*c_, "/api/artists/" + std::to_string(portishead), {{"name", "Portishead Live"}})
                  .status,
              200);
    EXPECT_EQ(titles("portishead%20live"), std::vector<std::string>{"Portishead Live"});
    make_track(*c_, "Roads", "/m/roads.flac", portishead);
    EXPECT_EQ(titles("roads"), std::vector<std::string>{"Roads"});
    ASSERT_EQ(del(*c_, "/api/tracks/" + std::to_string(glory)).status, 204);
    EXPECT_TRUE(titles("glory").empty());

    // And the index answers again once rebuilt, with the same answers.
    wait_for_index();
    EXPECT_EQ(typeahead("roads").header("X-Sonique-Typeahead"), "index");
    EXPECT_EQ(titles("roads"), std::vector<std::string>{"Roads"});
    EXPECT_EQ(titles("portishead%20live"), std::vector<std::string>{"Portishead Live"});
    EXPECT_TRUE(titles("glory").empty());
}

// POST /api/search/ from the same index (docs/search.md, "Search from the index"): the header says
// so, and an API write is read by the very next search (the statement answers until the index
// has checked the generation).
TEST_F(TypeaheadIndexRoutes, SearchFromTheIndexReadsApiWritesAtOnce) {
    int64_t massive = make_artist(*c_, "Massive Attack");
    make_track(*c_, "Teardrop", "/m/teardrop.flac", massive);
    wait_for_index();
    auto search = [&](const std::string& q) { return post(*c_, "/api/search/", {{"query", q}}); };
    Reply r = search("teardrop");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("X-Sonique-Search"), "index");
    EXPECT_EQ(r.json["total"], 1);
    EXPECT_EQ(r.json["items"][0]["title"], "Teardrop");
    EXPECT_EQ(r.json["facets"]["artists"], Json::parse(R"([{"name":"Massive Attack","count":1}])"));

    make_track(*c_, "Teardrop (Live)", "/m/teardrop-live.flac", massive);
    r = search("teardrop");
    EXPECT_EQ(r.json["total"], 2) << r.body;
    wait_for_index();
    r = search("teardrop");
    EXPECT_EQ(r.header("X-Sonique-Search"), "index");
    EXPECT_EQ(r.json["total"], 2) << r.body;
}

// SONIQUE_SEARCH_INDEX=off: nothing is loaded, and both routes answer from the statements with
// the same answers (the headers say so).
TEST(TypeaheadIndexOff, EveryAnswerFromTheStatements) {
    TestServer server("typeahead_index_off", [](Config& c) { c.search_index = false; });
    auto c = server.client();
    int64_t air = make_artist(*c, "Air");
    make_track(*c, "Playground Love", "/m/pl.flac", air);
    // Over a second: an enabled index's first load of so small a library is done well before.
    for (int i = 0; i < 4; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        Reply t = get(*c, "/api/search/typeahead?q=playgr");
        EXPECT_EQ(t.status, 200) << t.body;
        EXPECT_EQ(t.header("X-Sonique-Typeahead"), "sql");
        ASSERT_EQ(t.json["items"].size(), 1u) << t.body;
        EXPECT_EQ(t.json["items"][0]["title"], "Playground Love");
        Reply s = post(*c, "/api/search/", {{"query", "playground"}});
        EXPECT_EQ(s.status, 200) << s.body;
        EXPECT_EQ(s.header("X-Sonique-Search"), "sql");
        EXPECT_EQ(s.json["total"], 1) << s.body;
    }
}

}  // namespace
}  // namespace sonique::test
