// POST /api/search/ from the typeahead index (TypeaheadIndex::search) against the statement it
// stands in for (search_library): the same answers, item for item (total, items and their
// hybrid_score, facets, pages, suggestion), on many queries with filters, pages and vector lists,
// computed and from the plan cache;
// a genre change by another connection reaches the index's facets.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "core/json.hpp"
#include "db/connection.hpp"
#include "db/pool.hpp"
#include "name_library.hpp"
#include "search/text_search.hpp"
#include "search/typeahead_index.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

// Genres that differ only by case or accent, years that name no decade, tracks without a genre
// or year, an album without a release year.
constexpr const char* kMore = R"SQL(
INSERT INTO albums (title, album_artist_id) SELECT 'Untitled Rock', id FROM artists
  WHERE name = 'Radio';
INSERT INTO tracks (title, path, track_artist_id, album_id, genre, year)
SELECT v.t, '/m/x' || v.n || '.flac', a.id,
       (SELECT max(al.id) FROM albums al WHERE al.album_artist_id = a.id), v.g, v.y FROM
  (VALUES (1, 'Radio', 'Radio Song', 'rock', '1999-05-01'),
          (2, 'Radio', 'Radio Silence', 'Électro', NULL),
          (3, 'Björk', 'Army of Me', 'électro', '1995'),
          (4, 'Radio', 'Untitled', NULL, 'unknown'),
          (5, 'Radiohead', 'Creep (Acoustic)', 'ROCK', '0993'),
          (6, 'Кино', 'Кукушка', 'Рок', '1990'))
  AS v(n, a, t, g, y) JOIN artists a ON a.name = v.a;
)SQL";

class SearchIndexTest : public ::testing::Test {
  protected:
    SearchIndexTest()
        : db_("search_index"),
          pool_(db::PoolOptions{{db_.url(), 0, 5}, 3, std::chrono::milliseconds(5000)}) {
        auto conn = pool_.acquire();
        conn->exec_script(kNameLibrary);
        conn->exec_script(kMore);
        // Vector lists as the tags sets give them: every artist and track in an order of their
        // own, and an id that names no row.
        auto ids = [&](const char* table) {
            auto r =
                conn->exec(std::string("SELECT id FROM ") + table + " ORDER BY (id * 7) % 11, id");
            std::vector<int64_t> out;
            for (int i = 0; i < r.rows(); ++i)
                out.push_back(r.int64(i, 0));
            out.insert(out.begin() + 2, 999999);
            return out;
        };
        vectors_.artists = ids("artists");
        vectors_.tracks = ids("tracks");
        short_vectors_.artists.assign(vectors_.artists.begin(), vectors_.artists.begin() + 4);
        short_vectors_.tracks.assign(vectors_.tracks.begin(), vectors_.tracks.begin() + 5);
    }

    std::unique_ptr<search::TypeaheadIndex> open(
        std::chrono::milliseconds every = std::chrono::seconds(2)) {
        auto index =
            std::make_unique<search::TypeaheadIndex>(pool_, search::TypeaheadOptions{every});
        EXPECT_TRUE(index->wait_idle());
        return index;
    }
    Json by_sql(const search::SearchRequest& r, const search::VectorLists* v) {
        return Json::parse(search::search_library(*pool_.acquire(), r, v).text);
    }
    Json by_index(search::TypeaheadIndex& index, const search::SearchRequest& r,
                  const search::VectorLists* v) {
        auto answer = index.search(r, v);
        if (!answer) return "(no index)";
        return Json::parse(answer->text);
    }
    // The request variants each query is asked with (pages, sizes, every filter, both
    // vector lists, none).
    std::vector<std::pair<search::SearchRequest, const search::VectorLists*>> variants(
        const std::string& q) {
        std::vector<std::pair<search::SearchRequest, const search::VectorLists*>> out;
        auto add = [&](int64_t page, int64_t size, search::SearchFilters f,
                       const search::VectorLists* v) {
            out.push_back({search::SearchRequest{q, page, size, std::move(f)}, v});
        };
        add(1, 10, {}, nullptr);
        add(1, 3, {}, &vectors_);
        add(2, 3, {}, &short_vectors_);
        add(3, 2, {}, nullptr);
        add(1, 10, {{"rock"}, {}, {}, {}}, &vectors_);
        add(1, 5, {{"ROCK", "punk"}, {}, {"1990s", "1980s"}, {}}, nullptr);
        add(1, 10, {{}, {"radiohead", "AC/DC"}, {}, {}}, &vectors_);
        add(2, 4, {{}, {}, {}, {"artist", "album"}}, &vectors_);
        add(1, 100, {{}, {}, {"1995s", "abc", "2000s"}, {"TRACK"}}, &short_vectors_);
        add(1, 10, {{"électro", "РОК"}, {"björk", "КИНО"}, {}, {}}, &vectors_);
        return out;
    }
    std::vector<std::string> names() {
        auto r = pool_.acquire()->exec(
            "SELECT name FROM artists UNION SELECT title FROM albums UNION SELECT title FROM "
            "tracks ORDER BY 1");
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(r.str(i, 0));
        return out;
    }

    TestDatabase db_;
    db::Pool pool_;
    search::VectorLists vectors_, short_vectors_;
};

// Written queries of every case of issue 17, every other prefix of every name and each name
// with a letter dropped; each query with two of the variants, in turn.
TEST_F(SearchIndexTest, SameAnswersAsTheStatement) {
    auto index = open();
    std::set<std::string> queries = {"",
                                     " ",
                                     "a",
                                     "r",
                                     "ra",
                                     "radioh",
                                     "RADIOHEAD",
                                     "radiohed",
                                     "metalica",
                                     "bjork",
                                     "björk",
                                     "sigur ros",
                                     "acdc",
                                     "ac/dc",
                                     "beatles",
                                     "the",
                                     "the the",
                                     "l'imperatrice",
                                     "кино",
                                     "крови",
                                     "ブルーハーツ",
                                     "坂本",
                                     "!!!",
                                     "!",
                                     "...",
                                     "o)))",
                                     "let it be",
                                     "creep",
                                     "creeep",
                                     "paranod android",
                                     "kid a",
                                     "rock n roll",
                                     "t.n.t.",
                                     "æther",
                                     "olafur",
                                     "motley crue",
                                     "zzz",
                                     "qu",
                                     "x",
                                     "1",
                                     "rock",
                                     "radio",
                                     "radi",
                                     "batery",
                                     "thunder",
                                     "radiohead tribute",
                                     "electro",
                                     "xyzzy radiohed",
                                     "metalika",
                                     "bjorkk",
                                     "beetles"};
    for (const std::string& name : names()) {
        std::vector<size_t> starts;
        for (size_t i = 0; i < name.size(); ++i)
            if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) starts.push_back(i);
        starts.push_back(name.size());
        for (size_t n = 1; n < starts.size(); n += 2)
            queries.insert(name.substr(0, starts[n]));
        for (size_t c = 0; c + 1 < starts.size(); c += 3)
            queries.insert(name.substr(0, starts[c]) + name.substr(starts[c + 1]));
    }
    ASSERT_GT(queries.size(), 400u);
    size_t compared = 0, turn = 0;
    std::set<int64_t> totals;
    for (const std::string& q : queries) {
        auto all = variants(q);
        for (size_t k = 0; k < 2; ++k) {
            size_t variant = (2 * turn + k) % all.size();
            const auto& [request, vectors] = all[variant];
            Json expected = by_sql(request, vectors);
            ASSERT_EQ(by_index(*index, request, vectors), expected)
                << "query \"" << q << "\" variant " << variant;
            totals.insert(expected["total"].get<int64_t>());
            ++compared;
        }
        ++turn;
    }
    EXPECT_GT(compared, 800u);
    EXPECT_GT(totals.size(), 10u);  // the answers differ from each other: not all empty
    // Every variant of a few queries, suggestions included.
    for (const char* q : {"radiohed", "xyzzy radiohed", "r", "rock", "кино", "electro"})
        for (const auto& [request, vectors] : variants(q))
            EXPECT_EQ(by_index(*index, request, vectors), by_sql(request, vectors)) << q;
    // Plans are cached per snapshot: asked again, and with other vector lists, still the same.
    for (int round = 0; round < 2; ++round)
        for (const search::VectorLists* v : {&vectors_, &short_vectors_, &vectors_}) {
            search::SearchRequest r{"radio", 1, 3, {}};
            EXPECT_EQ(by_index(*index, r, v), by_sql(r, v)) << round;
        }
    Json suggested = by_index(*index, search::SearchRequest{"radiohed", 1, 10, {}}, nullptr);
    EXPECT_EQ(suggested["suggestion"], "Radiohead");
}

// A genre and a year changed by another connection move the generation (migration 0024): the
// index is rebuilt and its facets and filters follow.
TEST_F(SearchIndexTest, FacetsFollowGenreChanges) {
    auto index = open(std::chrono::milliseconds(50));
    search::SearchRequest jazz{"karma", 1, 10, {{"jazz"}, {}, {}, {}}};
    EXPECT_EQ(by_index(*index, jazz, nullptr)["total"], 0);
    int64_t before = index->stats()->generation;
    pool_.acquire()->exec(
        "UPDATE tracks SET genre = 'Jazz', year = '2011' WHERE title = 'Karma Police'");
    for (int i = 0; i < 200 && index->stats()->generation == before; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(index->wait_idle());
    Json answer = by_index(*index, jazz, nullptr);
    EXPECT_EQ(answer, by_sql(jazz, nullptr));
    EXPECT_EQ(answer["total"], 1);
    EXPECT_EQ(answer["facets"]["genres"], Json::parse(R"([{"name":"Jazz","count":1}])"));
    EXPECT_EQ(answer["facets"]["decades"], Json::parse(R"([{"name":"2010s","count":1}])"));
}

// The items are written from the snapshot: a file moved by another connection moves the
// generation (migration 0025) and the item's path follows; so do the artist's and the album's
// shown genre (their tracks' most frequent).
TEST_F(SearchIndexTest, ItemsFollowMovedFilesAndGenres) {
    auto index = open(std::chrono::milliseconds(50));
    search::SearchRequest karma{"karma police", 1, 10, {}};
    search::SearchRequest artist{"radiohead", 1, 10, {{}, {}, {}, {"artist"}}};
    auto moved = [&] {
        int64_t before = index->stats()->generation;
        for (int i = 0; i < 200 && index->stats()->generation == before; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        EXPECT_NE(index->stats()->generation, before);
        EXPECT_TRUE(index->wait_idle());
    };
    pool_.acquire()->exec(
        "UPDATE tracks SET path = '/moved/\"Karma\"\t1.flac' WHERE title = 'Karma Police'");
    moved();
    Json answer = by_index(*index, karma, nullptr);
    EXPECT_EQ(answer, by_sql(karma, nullptr));
    ASSERT_FALSE(answer["items"].empty());
    EXPECT_EQ(answer["items"][0]["path"], "/moved/\"Karma\"\t1.flac");
    // Four of the artist's six tracks in a genre of their own: it outnumbers every other.
    pool_.acquire()->exec(
        "UPDATE tracks SET genre = 'Zydeco' WHERE id IN (SELECT t.id FROM tracks t JOIN artists a "
        "ON a.id = t.track_artist_id WHERE a.name = 'Radiohead' ORDER BY t.id LIMIT 4)");
    moved();
    answer = by_index(*index, artist, nullptr);
    EXPECT_EQ(answer, by_sql(artist, nullptr));
    ASSERT_FALSE(answer["items"].empty());
    EXPECT_EQ(answer["items"][0]["title"], "Radiohead");
    EXPECT_EQ(answer["items"][0]["genre"], "Zydeco");
}

}  // namespace
}  // namespace sonique::test
