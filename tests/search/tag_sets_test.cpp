// The tags vector sets (search/tag_sets.hpp) over a real PostgreSQL and real FAISS: a free-text
// query finds artists and tracks by their tags with no name match, similar artists, writes of
// tags (Last.fm tags through SQL as the API writes them, deletions) caught up through the tags
// generation, persistence with the model, and a damaged file rebuilt, never served.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "db/pool.hpp"
#include "search/tag_sets.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;
using search::TagKind;
using search::TagSets;

class TagSetsTest : public ::testing::Test {
  protected:
    TagSetsTest()
        : db_("tag_sets"),
          pool_(db::PoolOptions{{db_.url(), 0, 5}, 4, std::chrono::milliseconds(5000)}),
          dir_(fs::temp_directory_path() / ("sonique-tags-" + unique_suffix())) {
        pool_.acquire()->exec_script(R"SQL(
INSERT INTO artists (name, lastfm_info) VALUES ('Slowdive', NULL), ('My Bloody Valentine', NULL),
  ('Metallica', NULL), ('Mogwai', NULL),
  ('Beach House', '{"tags": [{"name": "Dream Pop"}, "dreamy", "indie"]}');
INSERT INTO tracks (title, path, track_artist_id, genre) SELECT v.t, '/m/' || v.t, a.id, v.g FROM
  (VALUES ('Slowdive', 'Alison', 'Shoegaze'), ('Slowdive', 'When the Sun Hits', 'Shoegaze'),
          ('My Bloody Valentine', 'Sometimes', 'Shoegaze'),
          ('Metallica', 'Battery', 'Thrash Metal'), ('Metallica', 'One', 'Metal'),
          ('Mogwai', 'Auto Rock', 'Post-Rock'), ('Beach House', 'Myth', NULL))
  AS v(a, t, g) JOIN artists a ON a.name = v.a;
INSERT INTO mood_tags (name) VALUES ('dreamy'), ('aggressive');
INSERT INTO genre_tags (name) VALUES ('dream pop');
INSERT INTO track_mood_tags SELECT t.id, m.id FROM tracks t, mood_tags m
  WHERE (t.title = 'Sometimes' AND m.name = 'dreamy') OR (t.title = 'Battery' AND m.name = 'aggressive');
INSERT INTO track_genre_tags SELECT t.id, g.id FROM tracks t, genre_tags g WHERE t.title = 'Alison';
)SQL");
    }
    ~TagSetsTest() override { fs::remove_all(dir_); }

    std::unique_ptr<TagSets> open() {
        search::TagSetsOptions o;
        o.dir = dir_.string();
        o.check_every = std::chrono::milliseconds(0);
        return std::make_unique<TagSets>(pool_, o);
    }
    int64_t id(const char* sql, const std::string& name) {
        return pool_.acquire()->exec(sql, db::Params(name)).int64(0, 0);
    }
    int64_t artist(const std::string& name) {
        return id("SELECT id FROM artists WHERE name = $1", name);
    }
    int64_t track(const std::string& title) {
        return id("SELECT id FROM tracks WHERE title = $1", title);
    }
    // The ids a query finds, best first, once the set is idle.
    std::vector<int64_t> find(TagSets& sets, TagKind kind, const std::string& text) {
        sets.wait_idle();
        auto hits = sets.search(kind, sets.fold(text), 10);
        sets.wait_idle();  // a check the query queued (another writer) is done before asserting
        hits = sets.search(kind, sets.fold(text), 10);
        std::vector<int64_t> out;
        if (hits)
            for (const auto& h : *hits)
                out.push_back(h.id);
        return out;
    }
    bool holds(const std::vector<int64_t>& ids, int64_t id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    }

    TestDatabase db_;
    db::Pool pool_;
    fs::path dir_;
};

TEST_F(TagSetsTest, AFreeTextQueryFindsArtistsAndTracksByTheirTags) {
    auto sets = open();
    auto artists = find(*sets, TagKind::kArtist, "Dreamy Shoegaze");
    ASSERT_GE(artists.size(), 3u);
    // My Bloody Valentine: shoegaze and dreamy; Slowdive: shoegaze; Beach House: dreamy (Last.fm).
    EXPECT_EQ(artists[0], artist("My Bloody Valentine"));
    EXPECT_TRUE(holds(artists, artist("Slowdive")));
    EXPECT_TRUE(holds(artists, artist("Beach House")));
    EXPECT_FALSE(holds(artists, artist("Metallica")));
    EXPECT_FALSE(holds(artists, artist("Mogwai")));
    auto tracks = find(*sets, TagKind::kTrack, "dreamy shoegaze");
    ASSERT_FALSE(tracks.empty());
    EXPECT_EQ(tracks[0], track("Sometimes"));
    EXPECT_TRUE(holds(tracks, track("Myth")));  // through its artist's Last.fm tags
    EXPECT_FALSE(holds(tracks, track("Battery")));
    EXPECT_TRUE(find(*sets, TagKind::kArtist, "polka").empty());
    // Accents and case are folded as the tags were.
    EXPECT_EQ(find(*sets, TagKind::kArtist, "THRÁSH")[0], artist("Metallica"));
}

TEST_F(TagSetsTest, SimilarArtistsAndTracksAreIndexLookUps) {
    auto sets = open();
    sets->wait_idle();
    auto similar = sets->similar(TagKind::kArtist, artist("Slowdive"), 5);
    ASSERT_TRUE(similar);
    // Beach House shares dream pop with Slowdive, My Bloody Valentine shoegaze; Metallica nothing.
    std::vector<int64_t> ids;
    for (const auto& h : *similar)
        ids.push_back(h.id);
    EXPECT_TRUE(holds(ids, artist("Beach House")));
    EXPECT_TRUE(holds(ids, artist("My Bloody Valentine")));
    for (const auto& h : *similar) {
        EXPECT_NE(h.id, artist("Slowdive"));
        EXPECT_NE(h.id, artist("Metallica"));
        EXPECT_GE(h.score, search::kTagMinScore);
    }
    auto tracks = sets->similar(TagKind::kTrack, track("Alison"), 5);
    ASSERT_TRUE(tracks);
    ids.clear();
    for (const auto& h : *tracks)
        ids.push_back(h.id);
    EXPECT_TRUE(holds(ids, track("When the Sun Hits")));  // shoegaze
    EXPECT_TRUE(holds(ids, track("Myth")));               // dream pop
    EXPECT_FALSE(holds(ids, track("Battery")));
    // An id without tags has no neighbours to give: nullopt, so that callers try another set.
    pool_.acquire()->exec("INSERT INTO artists (name) VALUES ('Nobody')");
    sets->rebuild();
    sets->wait_idle();
    EXPECT_FALSE(sets->similar(TagKind::kArtist, artist("Nobody"), 5));
}

TEST_F(TagSetsTest, WritesOfTagsAndDeletionsAreCaughtUp) {
    auto sets = open();
    EXPECT_FALSE(holds(find(*sets, TagKind::kArtist, "shoegaze"), artist("Mogwai")));
    // As PUT /api/artists/{id}/lastfm-info writes it; Last.fm's own {"tag": [...]} form.
    pool_.acquire()->exec(
        "UPDATE artists SET lastfm_info = '{\"tags\": {\"tag\": [{\"name\": \"shoegaze\"}]}}' "
        "WHERE name = 'Mogwai'");
    EXPECT_TRUE(holds(find(*sets, TagKind::kArtist, "shoegaze"), artist("Mogwai")));
    int64_t gone = artist("My Bloody Valentine");
    pool_.acquire()->exec("DELETE FROM artists WHERE name = 'My Bloody Valentine'");
    auto after = find(*sets, TagKind::kArtist, "shoegaze");
    EXPECT_FALSE(holds(after, gone));
    EXPECT_TRUE(holds(after, artist("Slowdive")));
    EXPECT_EQ(sets->set(TagKind::kArtist).status().size, 4u);  // the 4 artists left with tags
    // A track's genre changed by a scan.
    pool_.acquire()->exec("UPDATE tracks SET genre = 'Polka' WHERE title = 'Auto Rock'");
    EXPECT_EQ(find(*sets, TagKind::kTrack, "polka"), std::vector<int64_t>{track("Auto Rock")});
}

TEST_F(TagSetsTest, PersistWithTheirModelAndDamagedFilesAreRebuilt) {
    int64_t first = 0;
    {
        auto sets = open();
        first = find(*sets, TagKind::kArtist, "dreamy shoegaze").at(0);
    }
    ASSERT_TRUE(fs::exists(dir_ / "tags-artists.faiss"));
    {
        // From the file at once (index and model), before any rebuild could end.
        auto sets = open();
        auto hits = sets->search(TagKind::kArtist, "dreamy shoegaze", 3);
        ASSERT_TRUE(hits);
        ASSERT_FALSE(hits->empty());
        EXPECT_EQ((*hits)[0].id, first);
        sets->wait_idle();
    }
    // A damaged model (the file's last byte): refused, never served, rebuilt.
    auto file = dir_ / "tags-artists.faiss";
    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes.back() = static_cast<char>(bytes.back() ^ 0x55);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    auto sets = open();
    EXPECT_NE(sets->set(TagKind::kArtist).status().last_problem.find("checksum"),
              std::string::npos);
    EXPECT_EQ(find(*sets, TagKind::kArtist, "dreamy shoegaze").at(0), first);
}

}  // namespace
}  // namespace sonique::test
