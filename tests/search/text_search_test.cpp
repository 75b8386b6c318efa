// Text search (search/text_search.hpp) on a small library that holds every case of issue 17:
// accents, typos, prefixes, punctuation and articles, non-Latin scripts, ranking, facets,
// filters, the suggestion and very long queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/json.hpp"
#include "db/connection.hpp"
#include "search/text_search.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

class TextSearch : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        db_ = new TestDatabase("text_search");
        db::Connection c({db_->url(), 0, 5});
        // Artists, then one album and some tracks each: "name|album|year|genre|title;title".
        c.exec_script(R"SQL(
INSERT INTO artists (name) VALUES ('Björk'), ('Sigur Rós'), ('Radiohead'), ('Radio Birdman'),
  ('Metallica'), ('AC/DC'), ('The Beatles'), ('Кино'), ('ザ・ブルーハーツ'), ('Radiohead Tribute Band');
INSERT INTO albums (title, album_artist_id, release_year) SELECT v.t, a.id, v.y FROM
  (VALUES ('Radiohead', 'OK Computer', '1997'), ('Björk', 'Homogenic', '1997'),
          ('Metallica', 'Master of Puppets', '1986'), ('Кино', 'Группа крови', '1988'),
          ('The Beatles', 'Abbey Road', '1969'), ('Sigur Rós', 'Ágætis byrjun', '1999'))
  AS v(a, t, y) JOIN artists a ON a.name = v.a;
INSERT INTO tracks (title, path, track_artist_id, album_id, genre, year)
SELECT v.t, '/m/' || v.n || '.flac', a.id, al.id, v.g, v.y FROM
  (VALUES (1, 'Radiohead', 'Paranoid Android', 'Rock', '1997'),
          (2, 'Radiohead', 'Karma Police', 'Rock', '1997'),
          (3, 'Radiohead', 'Airbag', 'Alternative', '1997'),
          (4, 'Björk', 'Jóga', 'Electronic', '1997'),
          (5, 'Metallica', 'Battery', 'Metal', '1986'),
          (6, 'Кино', 'Группа крови', 'Rock', '1988'),
          (7, 'The Beatles', 'Come Together', 'Rock', '1969'),
          (8, 'ザ・ブルーハーツ', 'リンダリンダ', 'Punk', '1987'),
          (9, 'AC/DC', 'Thunderstruck', 'Rock', '1990'),
          (10, 'Sigur Rós', 'Svefn-g-englar', 'Post-Rock', '1999'),
          (11, 'Radio Birdman', 'New Race', 'Punk', '1977'),
          (12, 'Radiohead Tribute Band', 'Creep', 'Rock', '2005'))
  AS v(n, a, t, g, y) JOIN artists a ON a.name = v.a
  LEFT JOIN albums al ON al.album_artist_id = a.id;
-- Exact twins of Björk that stand for no track: ranked after her.
INSERT INTO artists (name) VALUES ('Bjork'), ('BJÖRK!');
)SQL");
    }
    static void TearDownTestSuite() {
        delete db_;
        db_ = nullptr;
    }

    TextSearch() : c_({db_->url(), 0, 5}) {}

    Json items(const std::string& q, int64_t limit = 10) {
        return Json::parse(search::typeahead(c_, q, limit).text)["items"];
    }
    Json search(const search::SearchRequest& r) {
        return Json::parse(search::search_library(c_, r).text);
    }
    Json search(const std::string& q) {
        search::SearchRequest r;
        r.query = q;
        return search(r);
    }
    // The first item's title and type.
    std::string first(const std::string& q) {
        Json list = items(q);
        if (list.empty()) return "(nothing)";
        return list[0]["type"].get<std::string>() + ":" + list[0]["title"].get<std::string>();
    }

    static TestDatabase* db_;
    db::Connection c_;
};
TestDatabase* TextSearch::db_ = nullptr;

TEST_F(TextSearch, IgnoresCaseAndAccents) {
    EXPECT_EQ(first("bjork"), "artist:Björk");
    EXPECT_EQ(first("BJÖRK"), "artist:Björk");
    EXPECT_EQ(first("sigur ros"), "artist:Sigur Rós");
    EXPECT_EQ(first("joga"), "track:Jóga");
    EXPECT_EQ(first("agaetis"), "album:Ágætis byrjun");
}

TEST_F(TextSearch, ForgivesTypos) {
    EXPECT_EQ(first("radiohed"), "artist:Radiohead");
    EXPECT_EQ(first("metalica"), "artist:Metallica");
    EXPECT_EQ(first("paranoid androd"), "track:Paranoid Android");
    EXPECT_TRUE(items("zzqqxx").empty());
}

TEST_F(TextSearch, FindsPrefixesAsYouType) {
    EXPECT_EQ(first("radioh"), "artist:Radiohead");
    EXPECT_EQ(first("karma p"), "track:Karma Police");
    // Two letters: prefix of a name or of one of its words.
    Json ra = items("ra");
    ASSERT_FALSE(ra.empty());
    for (const auto& it : ra)
        EXPECT_TRUE(it["title"].get<std::string>().find("Ra") != std::string::npos ||
                    it["title"].get<std::string>().find(" R") != std::string::npos)
            << it.dump();
}

TEST_F(TextSearch, IgnoresPunctuationAndLeadingArticles) {
    EXPECT_EQ(first("acdc"), "artist:AC/DC");
    EXPECT_EQ(first("ac dc"), "artist:AC/DC");
    EXPECT_EQ(first("beatles"), "artist:The Beatles");
    EXPECT_EQ(first("the beatles"), "artist:The Beatles");
    EXPECT_EQ(first("svefn g englar"), "track:Svefn-g-englar");
}

TEST_F(TextSearch, MatchesNonLatinScriptsAsWritten) {
    EXPECT_EQ(first("Кино"), "artist:Кино");
    // The track and the album share the title: tracks come first within a tier.
    EXPECT_EQ(first("крови"), "track:Группа крови");
    EXPECT_EQ(items("крови")[1]["title"], "Группа крови");
    EXPECT_EQ(first("ブルーハーツ"), "artist:ザ・ブルーハーツ");
    EXPECT_EQ(first("リンダ"), "track:リンダリンダ");
}

TEST_F(TextSearch, RanksExactThenPrefixThenFuzzyThenByTracks) {
    // "radiohead": the artist is exact, the tribute band a prefix, "radiohed" would be fuzzy.
    Json list = items("radiohead");
    ASSERT_GE(list.size(), 2u);
    EXPECT_EQ(list[0]["type"], "artist");
    EXPECT_EQ(list[0]["title"], "Radiohead");
    std::vector<std::string> titles;
    for (const auto& it : list)
        titles.push_back(it["title"].get<std::string>());
    auto at = [&](const std::string& t) {
        return std::find(titles.begin(), titles.end(), t) - titles.begin();
    };
    EXPECT_LT(at("Radiohead"), at("Radiohead Tribute Band"));
    // Three exact hits for "bjork" (same folded name or key): the one with tracks first, then
    // by name; "bjor" finds them by prefix, "bjorkk" fuzzily, in the same order.
    for (const char* q : {"bjork", "bjor", "bjorkk"}) {
        Json b = items(q);
        ASSERT_GE(b.size(), 3u) << q;
        EXPECT_EQ(b[0]["title"], "Björk") << q;
    }
    Json full = search("bjork");
    EXPECT_EQ(full["items"][0]["title"], "Björk");
    // The same query answers the same order every time.
    EXPECT_EQ(items("radiohead"), list);
}

TEST_F(TextSearch, TypeaheadItemsHaveTheirShapeAndLimit) {
    Json list = items("radiohead", 2);
    ASSERT_EQ(list.size(), 2u);
    Json track = items("karma police")[0];
    EXPECT_EQ(track["type"], "track");
    EXPECT_EQ(track["artist"], "Radiohead");
    EXPECT_EQ(track["album"], "OK Computer");
    EXPECT_TRUE(track["id"].is_number_integer());
    EXPECT_TRUE(items("").empty());
    EXPECT_TRUE(items("   ").empty());
}

TEST_F(TextSearch, FacetsFollowTheQueryAndFiltersApply) {
    Json all = search("radiohead");
    std::map<std::string, int64_t> genres;
    for (const auto& g : all["facets"]["genres"])
        genres[g["name"]] = g["count"];
    // Artist Radiohead (Rock, Alternative), the tribute band (Rock): the query's own matches,
    // not the library (Metal, Punk).
    EXPECT_EQ(genres["Rock"], 2);
    EXPECT_EQ(genres["Alternative"], 1);
    EXPECT_EQ(genres.count("Metal"), 0u);

    search::SearchRequest r;
    r.query = "radiohead";
    r.filters.type = {"artist"};
    Json artists = search(r);
    ASSERT_EQ(artists["total"], 2);
    EXPECT_EQ(artists["items"][0]["title"], "Radiohead");

    r.query = "radio";
    r.filters.type = {};
    r.filters.genre = {"punk"};
    Json punk = search(r);
    ASSERT_EQ(punk["total"], 1);
    EXPECT_EQ(punk["items"][0]["title"], "Radio Birdman");
    EXPECT_EQ(punk["facets"]["genres"], Json::parse(R"([{"name":"Punk","count":1}])"));
    EXPECT_EQ(punk["facets"]["artists"][0]["name"], "Radio Birdman");

    r.query = "radiohead";
    r.filters.genre = {};
    r.filters.decade = {"2000s"};
    r.filters.type = {"artist"};
    Json recent = search(r);
    ASSERT_EQ(recent["total"], 1);
    EXPECT_EQ(recent["items"][0]["title"], "Radiohead Tribute Band");
    EXPECT_EQ(recent["facets"]["decades"][0]["name"], "2000s");
}

TEST_F(TextSearch, PagesAndScores) {
    search::SearchRequest r;
    r.query = "radio";
    r.page_size = 2;
    Json p1 = search(r);
    int64_t total = p1["total"];
    ASSERT_GE(total, 3);
    EXPECT_EQ(p1["total_pages"], (total + 1) / 2);
    ASSERT_EQ(p1["items"].size(), 2u);
    EXPECT_GT(p1["items"][0]["hybrid_score"].get<double>(),
              p1["items"][1]["hybrid_score"].get<double>());
    r.page = 2;
    Json p2 = search(r);
    EXPECT_NE(p2["items"][0]["id"], p1["items"][0]["id"]);
    EXPECT_NEAR(p2["items"][0]["hybrid_score"].get<double>(), 1.0 / 63, 1e-12);
}

// Reciprocal Rank Fusion on a hand-checked example: the text ranking of "radiohead" (1 the
// artist Radiohead, exact; 2 Radiohead Tribute Band, prefix) fused with two vector lists:
// artists [Björk, Radiohead Tribute Band] and tracks [Jóga].
//   Radiohead Tribute Band  1/62 (text 2) + 1/62 (artists 2) = 0.0322581
//   Radiohead               1/61 (text 1)                   = 0.0163934
//   Björk                   1/61 (artists 1)                = 0.0163934
//   Jóga                    1/61 (tracks 1)                 = 0.0163934
// The three ties go by id, then type (tracks, artists, albums): Jóga's id is read.
TEST_F(TextSearch, FusesTextAndVectorRanksByReciprocalRankFusion) {
    auto id = [&](const char* sql) { return c_.exec(sql).int64(0, 0); };
    int64_t bjork = id("SELECT id FROM artists WHERE name = 'Björk'");
    int64_t radiohead = id("SELECT id FROM artists WHERE name = 'Radiohead'");
    int64_t tribute = id("SELECT id FROM artists WHERE name = 'Radiohead Tribute Band'");
    int64_t joga = id("SELECT id FROM tracks WHERE title = 'Jóga'");
    search::SearchRequest r;
    r.query = "radiohead";
    Json text = search(r);
    ASSERT_EQ(text["total"], 2);  // the precondition of the example
    ASSERT_EQ(text["items"][0]["id"], radiohead);
    ASSERT_EQ(text["items"][1]["id"], tribute);

    search::VectorLists lists{{bjork, tribute}, {joga}};
    auto fused = [&](const search::SearchRequest& req) {
        return Json::parse(search::search_library(c_, req, &lists).text);
    };
    Json hybrid = fused(r);
    ASSERT_EQ(hybrid["total"], 4);
    std::vector<std::pair<std::string, int64_t>> ties = {
        {"artist", bjork}, {"artist", radiohead}, {"track", joga}};
    std::sort(ties.begin(), ties.end(), [](const auto& a, const auto& b) {
        // Equal ids: tracks before artists (the type order).
        return a.second != b.second ? a.second < b.second : a.first > b.first;
    });
    std::vector<std::pair<std::string, int64_t>> want = {{"artist", tribute}};
    want.insert(want.end(), ties.begin(), ties.end());
    std::vector<double> scores = {2.0 / 62, 1.0 / 61, 1.0 / 61, 1.0 / 61};
    for (size_t i = 0; i < want.size(); ++i) {
        const Json& item = hybrid["items"][i];
        EXPECT_EQ(item["type"], want[i].first) << i;
        EXPECT_EQ(item["id"], want[i].second) << i;
        EXPECT_NEAR(item["hybrid_score"].get<double>(), scores[i], 1e-12) << i;
    }
    // Pages cut the same order; a vector-only track counts in the facets.
    r.page_size = 2;
    r.page = 2;
    Json p2 = fused(r);
    ASSERT_EQ(p2["items"].size(), 2u);
    EXPECT_EQ(p2["items"][0]["id"], want[2].second);
    EXPECT_EQ(p2["items"][1]["id"], want[3].second);
    EXPECT_EQ(p2["total_pages"], 2);
    // Filters apply before ranks are counted: without artists, Jóga is first of its list alone.
    search::SearchRequest tracks_only;
    tracks_only.query = "radiohead";
    tracks_only.filters.type = {"track"};
    Json t = fused(tracks_only);
    ASSERT_EQ(t["total"], 1);
    EXPECT_EQ(t["items"][0]["id"], joga);
    EXPECT_NEAR(t["items"][0]["hybrid_score"].get<double>(), 1.0 / 61, 1e-12);
    EXPECT_EQ(t["facets"]["genres"][0]["name"], "Electronic");
}

TEST(VectorCandidates, EnoughForTheFusedPageAndCapped) {
    EXPECT_EQ(search::vector_candidates(1, 10), 80);
    EXPECT_EQ(search::vector_candidates(3, 100), 660);
    EXPECT_EQ(search::vector_candidates(1000000000, 100), search::kMaxVectorCandidates);
}

TEST_F(TextSearch, SuggestsWhatATypoMeant) {
    EXPECT_EQ(search("radiohed")["suggestion"], "Radiohead");
    EXPECT_TRUE(search("radiohead")["suggestion"].is_null());
    EXPECT_EQ(search("")["total"], 0);
}

TEST_F(TextSearch, CutsVeryLongQueries) {
    std::string huge(10000, 'a');
    Json r = search(huge);
    EXPECT_EQ(r["total"], 0);
    EXPECT_TRUE(items(huge).empty());
    EXPECT_EQ(search::normalise_query(huge)->size(), search::kMaxQueryChars);
    std::string cyrillic;
    for (int i = 0; i < 300; ++i)
        cyrillic += "ж";
    EXPECT_EQ(search::utf8_length(*search::normalise_query(cyrillic)), search::kMaxQueryChars);
}

}  // namespace
}  // namespace sonique::test
