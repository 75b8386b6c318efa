// Playlists and the play queue under concurrent writers, and what a deleted track or user
// leaves behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "db/pool.hpp"
#include "user_lists_support.hpp"

namespace sonique::test {
namespace {

TEST(SubsonicUserListsConcurrency, TwoClientsUpdatingOnePlaylistLoseNothing) {
    auto& s = shared_server();
    fill_user_lists(s);
    Json c = s.json("createPlaylist", as_owner() + Query{{"name", "Shared edit"}});
    std::string id = c["playlist"]["id"];
    // Two clients of the owner each add two songs 25 times, and both also remove the first
    // entry every fifth time: adds never get lost, removals never remove twice.
    constexpr int kRounds = 25;
    auto writer = [&](int a, int b) {
        for (int i = 0; i < kRounds; ++i) {
            Query q = as_owner() +
                      Query{{"playlistId", id}, {"songIdToAdd", song(a)}, {"songIdToAdd", song(b)}};
            if (i % 5 == 4) q.emplace_back("songIndexToRemove", "0");
            Json r = s.json("updatePlaylist", q);
            EXPECT_EQ(r["status"], "ok") << r.dump();
        }
    };
    std::thread t1(writer, 1, 2), t2(writer, 3, 4);
    t1.join();
    t2.join();
    Json p = s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"];
    constexpr int kRemovals = 2 * (kRounds / 5);
    EXPECT_EQ(p["songCount"], 4 * kRounds - kRemovals);
    ASSERT_EQ(p["entry"].size(), static_cast<size_t>(4 * kRounds - kRemovals));
    std::map<std::string, int> counts;
    for (const auto& e : p["entry"])
        ++counts[e["id"].get<std::string>()];
    int total = 0;
    for (int n = 1; n <= 4; ++n) {
        EXPECT_LE(counts[song(n)], kRounds);
        EXPECT_GE(counts[song(n)], kRounds - kRemovals);
        total += counts[song(n)];
    }
    EXPECT_EQ(total, 4 * kRounds - kRemovals);
    // Each writer's two songs were added side by side: every pair that is not broken by a
    // removal of the list's head stays in order (a then b).
    const auto ids = ids_of(p["entry"]);
    for (size_t i = 0; i + 1 < ids.size(); ++i) {
        if (ids[i] == song(1)) {
            EXPECT_EQ(ids[i + 1], song(2)) << i;
        }
    }
}

TEST(SubsonicUserListsConcurrency, ConcurrentQueueSavesKeepOneWholeQueue) {
    auto& s = shared_server();
    fill_user_lists(s);
    auto saver = [&](int first, const char* client) {
        for (int i = 0; i < 20; ++i) {
            Query q = as_owner() + Query{{"c", client}, {"currentIndex", "3"}};
            for (int n = first; n < first + 5; ++n)
                q.emplace_back("id", song(n));
            EXPECT_EQ(s.json("savePlayQueueByIndex", q)["status"], "ok");
        }
    };
    std::thread t1(saver, 1, "one"), t2(saver, 6, "two");
    t1.join();
    t2.join();
    Json q = s.json("getPlayQueueByIndex", as_owner())["playQueueByIndex"];
    auto ids = ids_of(q["entry"]);
    ASSERT_EQ(ids.size(), 5u) << q.dump();
    int first = q["changedBy"] == "one" ? 1 : 6;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(ids[static_cast<size_t>(i)], song(first + i)) << q.dump();
    EXPECT_EQ(q["currentIndex"], 3);
}

// A deleted track leaves playlists, queues and bookmarks: its entries go, the rest keep their
// order; a deleted user takes their playlists, queue and bookmarks along.
TEST(SubsonicUserListsConcurrency, DeletedTracksAndUsersLeaveConsistentLists) {
    auto& s = shared_server();
    fill_user_lists(s);
    services::UserRoles roles;
    roles.playlist = true;
    s.users().create("Leaving", "leaving-pass", "", roles);
    Query leaving{{"u", "Leaving"}, {"p", "leaving-pass"}};
    auto pool = [&] { return s.server().runtime().services().pool.acquire(); };
    pool()->exec_script(
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration) VALUES "
        "(16101, 'Doomed', '/srv/music/Rock/lists/doomed.mp3', 16001, 16001, 7);");
    std::string doomed = "tr-16101";
    Json c = s.json("createPlaylist", leaving + Query{{"name", "Leaving's"},
                                                      {"songId", song(1)},
                                                      {"songId", doomed},
                                                      {"songId", song(2)},
                                                      {"songId", doomed}});
    std::string id = c["playlist"]["id"];
    ASSERT_EQ(s.json("savePlayQueue", leaving + Query{{"id", song(1)},
                                                      {"id", doomed},
                                                      {"id", song(2)},
                                                      {"current", doomed}})["status"],
              "ok");
    ASSERT_EQ(
        s.json("createBookmark", leaving + Query{{"id", doomed}, {"position", "9"}})["status"],
        "ok");
    ASSERT_EQ(
        s.json("createBookmark", leaving + Query{{"id", song(2)}, {"position", "9"}})["status"],
        "ok");
    pool()->exec("DELETE FROM tracks WHERE id = 16101");
    Json p = s.json("getPlaylist", leaving + Query{{"id", id}})["playlist"];
    EXPECT_EQ(ids_of(p["entry"]), (std::vector<std::string>{song(1), song(2)}));
    EXPECT_EQ(p["songCount"], 2);
    // Indexes refer to what the client sees: index 1 is song 2.
    ASSERT_EQ(s.json("updatePlaylist",
                     leaving + Query{{"playlistId", id}, {"songIndexToRemove", "1"}})["status"],
              "ok");
    EXPECT_EQ(ids_of(s.json("getPlaylist", leaving + Query{{"id", id}})["playlist"]["entry"]),
              std::vector<std::string>{song(1)});
    Json q = s.json("getPlayQueueByIndex", leaving)["playQueueByIndex"];
    EXPECT_EQ(ids_of(q["entry"]), (std::vector<std::string>{song(1), song(2)}));
    EXPECT_FALSE(q.contains("currentIndex")) << "the current song was deleted";
    EXPECT_FALSE(s.json("getPlayQueue", leaving)["playQueue"].contains("current"));
    Json marks = s.json("getBookmarks", leaving)["bookmarks"]["bookmark"];
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_EQ(marks[0]["entry"]["id"], song(2));

    ASSERT_TRUE(s.users().remove("Leaving"));
    auto left = pool()->exec(
        "SELECT (SELECT count(*) FROM playlists WHERE name = 'Leaving''s') + (SELECT count(*) "
        "FROM user_play_queues q WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = "
        "q.user_id)) + (SELECT count(*) FROM bookmarks b WHERE NOT EXISTS (SELECT 1 FROM users "
        "u WHERE u.id = b.user_id))");
    EXPECT_EQ(left.int64(0, 0), 0);
}

}  // namespace
}  // namespace sonique::test
