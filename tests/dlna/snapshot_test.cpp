// The tree snapshot (dlna/impl/tree_snapshot.hpp, docs/dlna.md "The tree snapshot"): every
// container of a library (the DLNA world's files and 250 generated track rows over 30 artists,
// 40 albums and two genres) browsed through the SQL path and through the snapshot gives the same
// DIDL bytes, totals and UpdateIDs, pages at the end of the large containers included; a write
// (SQL, a rescan, a writer in flight while it loaded) is answered at once, never from the stale
// snapshot; and Browses running while it reloads again and again all answer the library.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "catalog.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "didl.hpp"
#include "dlna_fixture.hpp"
#include "soap.hpp"
#include "tree_snapshot.hpp"
#include "tree_snapshots.hpp"

namespace sonique::test {
namespace {

using dlna::Catalog;
using dlna::Page;
using dlna::TreeSnapshot;
using namespace std::chrono_literals;

class DlnaSnapshot : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        world_ = new DlnaWorld(true);
        auto conn = world_->server().runtime().services().pool.acquire();
        // Edge cases on purpose: albums without a year, tracks without an album, a disc, a
        // duration or a type, an extension in capitals or none, names that tie but for case.
        conn->exec_script(R"SQL(
INSERT INTO artists (name) SELECT 'Snap Artist ' || i FROM generate_series(1, 30) i;
INSERT INTO albums (title, album_artist_id, release_year)
  SELECT CASE WHEN i % 9 = 0 THEN 'snap album ' ELSE 'Snap Album ' END || i,
         (SELECT id FROM artists WHERE name = 'Snap Artist ' || (i % 30 + 1)),
         CASE WHEN i % 4 = 0 THEN NULL ELSE (1990 + i % 7)::text END
  FROM generate_series(1, 40) i;
INSERT INTO genres (name) VALUES ('snap pop'), ('Snap Noise');
)SQL");
        conn->exec(
            "INSERT INTO tracks (title, path, track_artist_id, album_id, track_number, "
            "disc_number, genre, year, duration, file_type, bitrate, sample_rate, channels, "
            "file_size) SELECT 'Snap ' || i, $1 || '/Snap/' || i || CASE i % 3 WHEN 0 THEN '.mp3' "
            "WHEN 1 THEN '.FLAC' ELSE '' END, (SELECT id FROM artists WHERE name = 'Snap Artist ' "
            "|| (i % 30 + 1)), (SELECT id FROM albums WHERE lower(title) = 'snap album ' || (i % "
            "45 + 1)), (i % 12)::text, CASE WHEN i % 5 = 0 THEN NULL ELSE '1' END, 'snap pop', "
            "CASE WHEN i % 6 = 0 THEN NULL ELSE '2001' END, CASE WHEN i % 7 = 0 THEN NULL ELSE "
            "180 + i END, CASE WHEN i % 3 = 0 THEN 'audio/mpeg' END, 128 + i % 300, 44100, 2, "
            "1000000 + i FROM generate_series(1, 250) i",
            db::Params(world_->root().string()));
        // Folders whose order is the collation's and the bytes' (DlnaWalk's paths around the
        // skip scan's bounds, names equal but for case or accents).
        for (std::string rel : {"A.mp3", "A/x.mp3", "A/y/z.mp3", "A-b.mp3", "A0.mp3", "A0/w.mp3",
                                "\xc3\x89t\xc3\xa9/s.mp3", "\xc3\xa9t\xc3\xa9/t.mp3", "Bee/q.mp3",
                                "bee/r.mp3", "b.mp3", "B.mp3"})
            conn->exec(
                "INSERT INTO tracks (title, path, track_artist_id, file_type) SELECT $1, $2, "
                "min(id), 'mp3' FROM artists",
                db::Params(rel, (world_->root() / "Zed" / rel).string()));
        conn->exec_script(
            "INSERT INTO track_genres (track_id, genre_id) SELECT t.id, g.id FROM tracks t, "
            "genres g WHERE t.title LIKE 'Snap %' AND (g.name = 'snap pop' OR t.id % 3 = 0)");
    }
    static void TearDownTestSuite() {
        delete world_;
        world_ = nullptr;
    }
    static services::ServiceContext& ctx() { return world_->server().runtime().services(); }
    static inline DlnaWorld* world_ = nullptr;
};

std::string didl(const Page& p) {
    return dlna::write_didl(p.entries, dlna::PropertyFilter("*"), "http://h:1") + " total " +
           std::to_string(p.total) + " update " +
           (p.update_id ? std::to_string(*p.update_id) : std::string("caller's"));
}

std::string didl(const dlna::Entry& e, std::optional<std::uint32_t> u) {
    Page p;
    p.entries.push_back(e);
    p.update_id = u;
    return didl(p);
}

dlna::ObjectRef object_ref(const std::string& id) {
    auto r = dlna::parse_object_id(id);
    EXPECT_TRUE(r) << id;
    return *r;
}

TEST_F(DlnaSnapshot, EveryContainerAndObjectAnswersTheSqlPathsBytes) {
    Catalog sql(ctx(), true, false);
    Catalog snap(ctx(), true, true);
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    auto s = snap.snapshots()->fresh();
    ASSERT_TRUE(s);
    EXPECT_GE(s->tracks(), 254u);
    std::vector<std::string> queue{"0"};
    int held_pages = 0, held_objects = 0, containers = 0;
    while (!queue.empty()) {
        std::string id = queue.back();
        queue.pop_back();
        auto r = object_ref(id);
        ++containers;
        auto full = sql.children(r, 0, 100000, {});
        int64_t n = full.total;
        // Whole, first, second, the last ones and past the end.
        for (auto [start, count] : std::vector<std::pair<int64_t, int64_t>>{
                 {0, 100000}, {0, 1}, {1, 2}, {n - 1, 3}, {n - 2, 100}, {n, 2}, {n + 5, 1}}) {
            if (start < 0) continue;
            auto a = didl(sql.children(r, start, count, {}));
            EXPECT_EQ(a, didl(snap.children(r, start, count, {}))) << id << " @" << start;
            if (TreeSnapshot::holds(r.node) && n > 0) {
                auto d = s->children(r, start, count, true);
                ASSERT_TRUE(d) << id << " is held but not answered";
                EXPECT_EQ(a, didl(*d)) << id << " @" << start;
                ++held_pages;
            }
        }
        for (const auto& e : full.entries) {
            auto c = object_ref(e.id);
            std::optional<std::uint32_t> ua, ub;
            auto a = didl(sql.metadata(c, &ua), ua);
            EXPECT_EQ(a, didl(snap.metadata(c, &ub), ub)) << e.id;
            auto parent = object_ref(dlna::parent_of(c));
            if (c.track ? TreeSnapshot::holds(c.node) : TreeSnapshot::holds(parent.node)) {
                auto m = s->metadata(c, true);
                ASSERT_TRUE(m) << e.id << " is held but not answered";
                EXPECT_EQ(a, didl(m->first, m->second)) << e.id;
                ++held_objects;
            }
            if (!e.is_track) queue.push_back(e.id);
        }
    }
    EXPECT_GT(containers, 200);
    EXPECT_GT(held_pages, 1000);
    EXPECT_GT(held_objects, 1500);
    // Ids that no row backs are still faults (the SQL path decides).
    for (std::string bad : {"m/ar/999999", "m/al/999999/t1", "m/ge/999999", "m/ar/999999/1"}) {
        try {
            auto r = object_ref(bad);
            if (r.track)
                snap.metadata(r);
            else
                snap.children(r, 0, 10, {});
            ADD_FAILURE() << bad << " answered";
        } catch (const dlna::SoapFault& f) {
            EXPECT_EQ(f.code(), 701) << bad;
        }
    }
}

// The first track of the first album, and its title as a Browse of the album gives it.
std::pair<std::string, int64_t> first_track(Catalog& c) {
    auto album = c.children(object_ref("m/al"), 0, 1, {}).entries.at(0).id;
    auto t = c.children(object_ref(album), 0, 1, {}).entries.at(0);
    return {album, *t.track_id};
}

std::string title_in(Catalog& c, const std::string& container, int64_t track) {
    for (const auto& e : c.children(object_ref(container), 0, 100000, {}).entries)
        if (e.track_id == track) return e.title;
    return "(absent)";
}

TEST_F(DlnaSnapshot, AWriteIsAnsweredAtOnceNeverFromTheStaleSnapshot) {
    Catalog snap(ctx(), true, true);
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    auto old = snap.snapshots()->fresh();
    ASSERT_TRUE(old);
    auto [album, track] = first_track(snap);
    std::string before = title_in(snap, album, track);
    auto conn = ctx().pool.acquire();
    conn->exec("UPDATE tracks SET title = 'Renamed at once' WHERE id = $1", db::Params(track));
    EXPECT_EQ(title_in(snap, album, track), "Renamed at once");
    EXPECT_EQ(title_in(snap, "m/all", track), "Renamed at once");
    // The old snapshot still holds the old title: the answers above did not come from it.
    auto kept = old->children(object_ref(album), 0, 100, true);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->entries.at(0).title, before);
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    EXPECT_EQ(title_in(snap, album, track), "Renamed at once");
    conn->exec("UPDATE tracks SET title = $2 WHERE id = $1", db::Params(track, before));
    EXPECT_EQ(title_in(snap, album, track), before);

    // A rescan that finds a new file: All Tracks lists it at once. (The first rescan drops the
    // generated rows, which have no files.)
    world_->rescan();
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    int64_t total = snap.children(object_ref("m/all"), 0, 1, {}).total;
    auto src = world_->root() / "Ben Keys" / "Night Shift" / "01 Moon.mp3";
    auto copy = world_->root() / "Ben Keys" / "Night Shift" / "02 Moon again.mp3";
    std::filesystem::copy_file(src, copy);
    world_->rescan();
    EXPECT_EQ(snap.children(object_ref("m/all"), 0, 1, {}).total, total + 1);
    std::filesystem::remove(copy);
    world_->rescan();
    EXPECT_EQ(snap.children(object_ref("m/all"), 0, 1, {}).total, total);
}

TEST_F(DlnaSnapshot, AWriterInFlightWhileItLoadedMakesItStaleWhenItCommits) {
    Catalog probe(ctx(), true, false);
    auto [album, track] = first_track(probe);
    std::string before = title_in(probe, album, track);
    auto writer = ctx().pool.acquire();
    {
        db::Transaction tx(*writer);
        // Takes the next SystemUpdateID now, commits after the snapshot was read.
        auto u = writer->exec("UPDATE tracks SET title = 'Committed later' WHERE id = $1",
                              db::Params(track));
        ASSERT_EQ(u.affected(), 1);

        Catalog snap(ctx(), true, true);
        ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
        auto loaded = snap.snapshots()->fresh();
        ASSERT_TRUE(loaded);
        EXPECT_NE(loaded->pending_xids(), "{}");
        EXPECT_EQ(title_in(snap, album, track), before);
        tx.commit();
        EXPECT_EQ(title_in(snap, album, track), "Committed later");
        EXPECT_EQ(snap.snapshots()->fresh(), nullptr);
    }
    writer->exec("UPDATE tracks SET title = $2 WHERE id = $1", db::Params(track, before));
}

TEST_F(DlnaSnapshot, BrowsesDuringReloadsAnswerTheLibrary) {
    Catalog sql(ctx(), true, false);
    Catalog snap(ctx(), true, true);
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    auto first = snap.snapshots()->fresh();
    // The containers' pages (without UpdateID: the SystemUpdateID moves below).
    std::vector<std::pair<std::string, std::string>> expected;
    auto page = [](Catalog& c, const std::string& id) {
        auto p = c.children(object_ref(id), 0, 50, {});
        p.update_id.reset();
        return didl(p);
    };
    auto album = sql.children(object_ref("m/al"), 0, 1, {}).entries.at(0).id;
    auto artist = sql.children(object_ref("m/ar"), 0, 1, {}).entries.at(0).id;
    auto genre = sql.children(object_ref("m/ge"), 0, 1, {}).entries.at(0).id;
    for (const std::string& id :
         {std::string("m/all"), std::string("m/al"), std::string("m/new"), album, artist, genre})
        expected.emplace_back(id, page(sql, id));
    std::atomic<bool> stop{false};
    std::atomic<int> answers{0}, wrong{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i)
        readers.emplace_back([&] {
            while (!stop.load())
                for (const auto& [id, want] : expected) {
                    if (page(snap, id) != want) ++wrong;
                    ++answers;
                }
        });
    // The SystemUpdateID moves (as any write moves it): each time the snapshot is stale and
    // reloads (at most once a second) while the readers go on.
    auto conn = ctx().pool.acquire();
    for (int i = 0; i < 12; ++i) {
        conn->exec("SELECT nextval('sonique_library_update_id')");
        std::this_thread::sleep_for(250ms);
    }
    ASSERT_TRUE(snap.snapshots()->wait_fresh(60s));
    stop = true;
    for (auto& t : readers)
        t.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_GT(answers.load(), 100);
    auto last = snap.snapshots()->fresh();
    ASSERT_TRUE(last && first);
    EXPECT_GT(last->generation(), first->generation());
}

}  // namespace
}  // namespace sonique::test
