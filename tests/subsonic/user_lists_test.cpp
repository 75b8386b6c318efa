// The user's lists: getStarred, getStarred2, the per-user getAlbumList(2) types, getTopSongs and
// getNowPlaying, field by field against the spec's response types, in both formats.
#include <gtest/gtest.h>

#include "annotations_support.hpp"

namespace sonique::test {
namespace {

using Ids = std::vector<std::string>;

Json ok(SubsonicServer& s, const std::string& method, const Query& q) {
    Json r = s.json(method, q);
    EXPECT_EQ(r["status"], "ok") << method << ": " << r.dump();
    return r;
}

TEST(SubsonicUserLists, Starred2AndStarredInTheSpecShapes) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "lists-starred");
    ok(s, "star", me + Query{{"id", "tr-9302"}, {"albumId", "al-9301"}, {"artistId", "ar-9302"}});
    ok(s, "star", me + Query{{"id", "tr-9304"}});  // starred later: listed first
    Json st2 = ok(s, "getStarred2", me)["starred2"];
    ASSERT_TRUE(st2["artist"].is_array() && st2["album"].is_array() && st2["song"].is_array());
    EXPECT_EQ(ids_of(st2["song"], "tr-93"), (Ids{"tr-9304", "tr-9302"}));
    // ArtistID3: id, name required; albumCount, starred.
    const Json& ar = st2["artist"][0];
    EXPECT_EQ(ar["id"], "ar-9302");
    EXPECT_EQ(ar["name"], "Anno Guest");
    EXPECT_EQ(ar["albumCount"], 1);
    EXPECT_TRUE(is_iso_time(ar["starred"]));
    // AlbumID3: id, name, songCount, duration, created required.
    const Json& al = st2["album"][0];
    EXPECT_EQ(al["id"], "al-9301");
    EXPECT_EQ(al["name"], "Anno One");
    EXPECT_EQ(al["songCount"], 2);
    EXPECT_EQ(al["duration"], 300);
    EXPECT_TRUE(is_iso_time(al["created"]));
    EXPECT_TRUE(is_iso_time(al["starred"]));
    EXPECT_EQ(al["playCount"], 0);
    EXPECT_FALSE(al.contains("isDir")) << "AlbumID3, not Child";
    // Child: id, isDir, title required.
    const Json& so = st2["song"][1];
    EXPECT_EQ(so["title"], "Alpha");
    EXPECT_EQ(so["isDir"], false);
    EXPECT_EQ(so["albumId"], "al-9301");
    EXPECT_TRUE(is_iso_time(so["starred"]));
    EXPECT_EQ(so["contentType"], "audio/mpeg");
    // getStarred: Artist (id, name, starred), albums as Child with isDir.
    Json st = ok(s, "getStarred", me)["starred"];
    EXPECT_EQ(ids_of(st["artist"], "ar-93"), (Ids{"ar-9302"}));
    EXPECT_FALSE(st["artist"][0].contains("albumCount")) << "Artist, not ArtistID3";
    EXPECT_TRUE(is_iso_time(st["artist"][0]["starred"]));
    EXPECT_EQ(st["album"][0]["isDir"], true);
    EXPECT_EQ(st["album"][0]["title"], "Anno One");
    EXPECT_TRUE(is_iso_time(st["album"][0]["starred"]));
    EXPECT_EQ(ids_of(st["song"], "tr-93"), (Ids{"tr-9304", "tr-9302"}));
    // XML: the same elements in the restapi namespace.
    XmlNode x = s.xml("getStarred2", me);
    const XmlNode* root = x.first(ns("starred2"));
    ASSERT_NE(root, nullptr);
    ASSERT_EQ(root->all(ns("artist")).size(), 1u);
    EXPECT_EQ(root->first(ns("artist"))->attrs.at("starred"), ar["starred"]);
    EXPECT_EQ(root->first(ns("album"))->attrs.at("id"), "al-9301");
    ASSERT_EQ(root->all(ns("song")).size(), 2u);
    EXPECT_EQ(root->all(ns("song"))[0]->attrs.at("id"), "tr-9304");
    XmlNode x1 = s.xml("getStarred", me);
    ASSERT_NE(x1.first(ns("starred")), nullptr);
    EXPECT_EQ(x1.first(ns("starred"))->first(ns("album"))->attrs.at("isDir"), "true");
    // Nothing starred: empty arrays, still present.
    Json none = ok(s, "getStarred2", as_user(s, "lists-nothing"))["starred2"];
    EXPECT_EQ(none, Json::parse(R"({"artist":[],"album":[],"song":[]})"));
}

TEST(SubsonicUserLists, AlbumListsOfTheUser) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "lists-albums");
    auto list = [&](const std::string& type, Query more = {}) {
        Json r = ok(s, "getAlbumList2", me + Query{{"type", type}} + more);
        return ids_of(r["albumList2"]["album"], "al-93");
    };
    ok(s, "star", me + Query{{"albumId", "al-9302"}});
    ok(s, "star", me + Query{{"albumId", "al-9301"}});
    EXPECT_EQ(list("starred"), (Ids{"al-9301", "al-9302"})) << "the latest star first";
    ok(s, "setRating", me + Query{{"id", "al-9301"}, {"rating", "3"}});
    ok(s, "setRating", me + Query{{"id", "al-9303"}, {"rating", "5"}});
    ok(s, "setRating", me + Query{{"id", "al-9302"}, {"rating", "3"}});
    EXPECT_EQ(list("highest"), (Ids{"al-9303", "al-9301", "al-9302"}))
        << "the best first, then by title";
    ok(s, "scrobble", me + Query{{"id", "tr-9303"}, {"time", "1700000000000"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9301"}, {"time", "1600000000000"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9302"}, {"time", "1600000001000"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9304"}, {"time", "1750000000000"}});
    EXPECT_EQ(list("frequent"), (Ids{"al-9301", "al-9303", "al-9302"}))
        << "the most played first, then the latest play";
    EXPECT_EQ(list("recent"), (Ids{"al-9303", "al-9302", "al-9301"}));
    EXPECT_EQ(list("recent", {{"size", "1"}, {"offset", "1"}}), (Ids{"al-9302"}));
    Json albums = ok(s, "getAlbumList2", me + Query{{"type", "frequent"}})["albumList2"]["album"];
    EXPECT_EQ(albums[0]["playCount"], 2);
    EXPECT_EQ(albums[0]["userRating"], 3);
    EXPECT_TRUE(is_iso_time(albums[0]["starred"]));
    EXPECT_TRUE(is_iso_time(albums[0]["played"]));
    // getAlbumList: the same albums as Child with isDir and the user's fields.
    Json child = ok(s, "getAlbumList", me + Query{{"type", "highest"}})["albumList"]["album"];
    EXPECT_EQ(ids_of(child, "al-93"), (Ids{"al-9303", "al-9301", "al-9302"}));
    EXPECT_EQ(child[0]["isDir"], true);
    EXPECT_EQ(child[0]["userRating"], 5);
    XmlNode x = s.xml("getAlbumList2", me + Query{{"type", "recent"}});
    auto xa = x.first(ns("albumList2"))->all(ns("album"));
    ASSERT_EQ(xa.size(), 3u);
    EXPECT_EQ(xa[0]->attrs.at("id"), "al-9303");
    EXPECT_EQ(xa[0]->attrs.at("played"), "2025-06-15T15:06:40Z");
}

TEST(SubsonicUserLists, TopSongsByPlaysOverEveryUser) {
    auto& s = shared_server();
    fill_annotations(s);
    Query a = as_user(s, "lists-top-a"), b = as_user(s, "lists-top-b");
    auto top = [&](Query q) {
        Json r = ok(s, "getTopSongs", a + q);
        EXPECT_TRUE(r["topSongs"]["song"].is_array()) << r.dump();
        return r["topSongs"]["song"];
    };
    ok(s, "scrobble", b + Query{{"id", "tr-9304"}, {"id", "tr-9304"}, {"id", "tr-9304"}});
    for (int i = 0; i < 200; ++i)
        ok(s, "scrobble", a + Query{{"id", "tr-9305"}});
    Json songs = top({{"artist", "anno artist"}});  // the name whatever its case
    Ids ids = ids_of(songs, "tr-93");
    ASSERT_EQ(ids.size(), 5u) << "its songs and the one crediting it: " << songs.dump();
    EXPECT_EQ(ids[0], "tr-9305") << "the most played over every user";
    EXPECT_EQ(songs[0]["playCount"], 200) << "playCount is the reading user's own";
    // Other suites play these songs too: the order is checked against the stored totals.
    auto total = [&](const std::string& id) {
        return count_rows(s,
                          "SELECT COALESCE(sum(play_count), 0) FROM user_track_data WHERE "
                          "track_id = " +
                              id.substr(3));
    };
    for (size_t i = 1; i < songs.size(); ++i) {
        int64_t before = total(songs[i - 1]["id"]), after = total(songs[i]["id"]);
        EXPECT_GE(before, after) << songs.dump();
        if (before == after) {
            EXPECT_LT(songs[i - 1]["title"].get<std::string>(),
                      songs[i]["title"].get<std::string>())
                << "equal plays: by title";
        }
    }
    for (const auto& song : songs)
        if (song["id"] == "tr-9304") {
            EXPECT_FALSE(song.contains("played")) << "b's plays";
        }
    EXPECT_EQ(top({{"artist", "Anno Artist"}, {"count", "2"}}).size(), 2u);
    EXPECT_EQ(top({{"artist", "Nobody At All"}}).size(), 0u);
    EXPECT_EQ(code(s.json("getTopSongs", a)), 10);
    EXPECT_EQ(code(s.json("getTopSongs", a + Query{{"artist", "x"}, {"count", "-1"}})), 0);
    XmlNode x = s.xml("getTopSongs", a + Query{{"artist", "Anno Artist"}, {"count", "1"}});
    ASSERT_NE(x.first(ns("topSongs")), nullptr);
    ASSERT_EQ(x.first(ns("topSongs"))->all(ns("song")).size(), 1u);
    EXPECT_EQ(x.first(ns("topSongs"))->first(ns("song"))->attrs.at("id"), "tr-9305");
}

// topSongsByArtistId: `id` names the artist (and wins over `artist`).
TEST(SubsonicUserLists, TopSongsByArtistId) {
    auto& s = shared_server();
    fill_annotations(s);
    Query a = as_user(s, "lists-top-id");
    auto top = [&](const Query& q) {
        Json r = ok(s, "getTopSongs", a + q);
        EXPECT_TRUE(r["topSongs"]["song"].is_array()) << r.dump();
        return ids_of(r["topSongs"]["song"], "tr-93");
    };
    Ids by_name = top({{"artist", "Anno Artist"}});
    EXPECT_EQ(by_name.size(), 5u);
    EXPECT_EQ(top({{"id", "ar-9301"}}), by_name) << "the same songs in the same order";
    EXPECT_EQ(top({{"id", "ar-9302"}}), (Ids{"tr-9304"})) << "Anno Guest's own song";
    EXPECT_EQ(top({{"id", "ar-9302"}, {"artist", "Anno Artist"}}), (Ids{"tr-9304"}))
        << "id wins over artist";
    EXPECT_EQ(top({{"id", "ar-9301"}, {"count", "2"}}).size(), 2u);
    for (const char* bad : {"al-9301", "tr-9301", "ar-99999999", "9301", "ar-x"})
        EXPECT_EQ(code(s.json("getTopSongs", a + Query{{"id", bad}})), 70) << bad;
    EXPECT_EQ(code(s.json("getTopSongs", a + Query{{"id", "ar-9301"}, {"count", "-3"}})), 0);
    XmlNode x = s.xml("getTopSongs", a + Query{{"id", "ar-9302"}});
    ASSERT_NE(x.first(ns("topSongs")), nullptr);
    bool found = false;
    for (const XmlNode* song : x.first(ns("topSongs"))->all(ns("song")))
        found = found || song->attrs.at("id") == "tr-9304";
    EXPECT_TRUE(found);
    XmlNode bad = s.xml("getTopSongs", a + Query{{"id", "al-9301"}});
    ASSERT_NE(bad.first(ns("error")), nullptr);
    EXPECT_EQ(bad.first(ns("error"))->attrs.at("code"), "70");
}

TEST(SubsonicUserLists, NowPlayingEntries) {
    auto& s = shared_server();
    fill_annotations(s);
    Query a = as_user(s, "lists-np-a"), b = as_user(s, "lists-np-b");
    ok(s, "scrobble", a + Query{{"id", "tr-9301"}, {"submission", "false"}, {"c", "PhoneApp"}});
    ok(s, "scrobble", a + Query{{"id", "tr-9302"}, {"submission", "false"}, {"c", "PhoneApp"}});
    ok(s, "scrobble", b + Query{{"id", "tr-9303"}, {"submission", "false"}, {"c", "Desk"}});
    ok(s, "star", b + Query{{"id", "tr-9302"}});
    Json entries = ok(s, "getNowPlaying", b)["nowPlaying"]["entry"];
    ASSERT_TRUE(entries.is_array());
    Json mine, theirs;
    int of_a = 0;
    for (const auto& e : entries) {
        if (e["username"] == "lists-np-a") ++of_a, mine = e;
        if (e["username"] == "lists-np-b") theirs = e;
    }
    EXPECT_EQ(of_a, 1) << "one entry per user and player: the latest song";
    EXPECT_EQ(mine["id"], "tr-9302");
    EXPECT_EQ(mine["title"], "Alpha");
    EXPECT_EQ(mine["isDir"], false);
    EXPECT_EQ(mine["minutesAgo"], 0);
    EXPECT_TRUE(mine["minutesAgo"].is_number_integer());
    EXPECT_TRUE(mine["playerId"].is_number_integer());
    EXPECT_EQ(mine["playerName"], "PhoneApp");
    EXPECT_TRUE(is_iso_time(mine["starred"])) << "the reader's own star";
    EXPECT_EQ(theirs["id"], "tr-9303");
    EXPECT_NE(theirs["playerId"], mine["playerId"]);
    XmlNode x = s.xml("getNowPlaying", a);
    ASSERT_NE(x.first(ns("nowPlaying")), nullptr);
    bool found = false;
    for (const XmlNode* e : x.first(ns("nowPlaying"))->all(ns("entry")))
        if (e->attrs.at("username") == "lists-np-a") {
            found = true;
            EXPECT_EQ(e->attrs.at("id"), "tr-9302");
            EXPECT_EQ(e->attrs.at("minutesAgo"), "0");
            EXPECT_FALSE(e->attrs.count("starred")) << "not starred by lists-np-a";
        }
    EXPECT_TRUE(found);
    // An entry past its song's end (200 s plus a minute) is no longer shown.
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec(
        "UPDATE now_playing SET updated_at = now() - interval '261 seconds' WHERE "
        "user_id = $1",
        db::Params(user_id(s, "lists-np-a")));
    Json later = ok(s, "getNowPlaying", b);
    for (const auto& e : later["nowPlaying"]["entry"])
        EXPECT_NE(e["username"], "lists-np-a");
}

}  // namespace
}  // namespace sonique::test
