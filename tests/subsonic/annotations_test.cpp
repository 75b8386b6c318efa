// star, unstar, setRating and scrobble: the user's fields in the catalog's answers (Child,
// AlbumID3, ArtistID3, Artist) in both formats, users who do not see each other's data,
// concurrent scrobbles, roles, hostile input, and rows that go with their user or entity.
#include <gtest/gtest.h>

#include <thread>

#include "annotations_support.hpp"

namespace sonique::test {
namespace {

Json ok(SubsonicServer& s, const std::string& method, const Query& q) {
    Json r = s.json(method, q);
    EXPECT_EQ(r["status"], "ok") << method << ": " << r.dump();
    return r;
}

TEST(SubsonicAnnotations, StarAndUnstarSongsAlbumsAndArtists) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-star");
    // `id` takes every kind; albumId and artistId their own; each may repeat.
    ok(s, "star",
       me + Query{{"id", "tr-9301"},
                  {"id", "al-9301"},
                  {"albumId", "al-9302"},
                  {"artistId", "ar-9301"},
                  {"id", "ar-9302"}});
    Json song = ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"];
    ASSERT_TRUE(is_iso_time(song["starred"])) << song.dump();
    std::string first_star = song["starred"];
    Json album = ok(s, "getAlbum", me + Query{{"id", "al-9301"}})["album"];
    EXPECT_TRUE(is_iso_time(album["starred"])) << album.dump();
    EXPECT_TRUE(is_iso_time(album["song"][0]["starred"])) << "tr-9301 inside its album";
    EXPECT_FALSE(album["song"][1].contains("starred")) << "tr-9302 is not starred";
    Json artist = ok(s, "getArtist", me + Query{{"id", "ar-9301"}})["artist"];
    EXPECT_TRUE(is_iso_time(artist["starred"])) << artist.dump();
    EXPECT_TRUE(is_iso_time(artist["album"][1]["starred"])) << "al-9302 in the artist's albums";
    // getArtists' index and search3 carry the artist's star too.
    bool indexed = false;
    Json artists = ok(s, "getArtists", me);
    for (const auto& index : artists["artists"]["index"])
        for (const auto& a : index["artist"])
            if (a["id"] == "ar-9302") indexed = is_iso_time(a["starred"]);
    EXPECT_TRUE(indexed) << artists.dump();
    Json found = ok(s, "search3", me + Query{{"query", "Anno Guest"}})["searchResult3"];
    ASSERT_EQ(ids_of(found["artist"], "ar-93"), std::vector<std::string>{"ar-9302"});
    EXPECT_TRUE(is_iso_time(found["artist"][0]["starred"]));
    // Starring again keeps the first star's time; XML shows the same.
    ok(s, "star", me + Query{{"id", "tr-9301"}});
    XmlNode x = s.xml("getSong", me + Query{{"id", "tr-9301"}});
    ASSERT_NE(x.first(ns("song")), nullptr);
    EXPECT_EQ(x.first(ns("song"))->attrs.at("starred"), first_star);
    // Unstar: gone from every answer; the other stars stay.
    ok(s, "unstar", me + Query{{"id", "tr-9301"}, {"albumId", "al-9302"}, {"artistId", "ar-9302"}});
    EXPECT_FALSE(ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"].contains("starred"));
    Json starred = ok(s, "getStarred2", me)["starred2"];
    EXPECT_EQ(ids_of(starred["song"], "tr-93"), std::vector<std::string>{});
    EXPECT_EQ(ids_of(starred["album"], "al-93"), std::vector<std::string>{"al-9301"});
    EXPECT_EQ(ids_of(starred["artist"], "ar-93"), std::vector<std::string>{"ar-9301"});
    ok(s, "unstar", me + Query{{"id", "tr-9301"}});  // not starred: nothing to do, no error
}

TEST(SubsonicAnnotations, WritesAnswerAnEmptyResponseInBothFormats) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-formats");
    const std::vector<std::pair<std::string, Query>> calls = {
        {"star", {{"id", "tr-9305"}}},
        {"unstar", {{"id", "tr-9305"}}},
        {"setRating", {{"id", "tr-9305"}, {"rating", "2"}}},
        {"scrobble", {{"id", "tr-9305"}}},
        {"scrobble", {{"id", "tr-9305"}, {"submission", "false"}}}};
    for (const auto& [method, q] : calls) {
        XmlNode x = s.xml(method, me + q);
        EXPECT_EQ(x.name, ns("subsonic-response"));
        EXPECT_EQ(x.attrs["status"], "ok") << method;
        EXPECT_TRUE(x.children.empty()) << method;
        Json j = s.json(method, me + q);
        EXPECT_EQ(j["status"], "ok") << method << ": " << j.dump();
        for (const char* key : {"version", "type", "serverVersion", "openSubsonic"})
            EXPECT_TRUE(j.contains(key)) << method << " " << key;
        EXPECT_EQ(j.size(), 5u) << "nothing but the envelope: " << j.dump();
    }
}

TEST(SubsonicAnnotations, RatingsFromOneToFiveAndZeroRemoves) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-rate");
    ok(s, "setRating", me + Query{{"id", "tr-9302"}, {"rating", "4"}});
    ok(s, "setRating", me + Query{{"id", "al-9302"}, {"rating", "5"}});
    ok(s, "setRating", me + Query{{"id", "ar-9302"}, {"rating", "2"}});
    Json song = ok(s, "getSong", me + Query{{"id", "tr-9302"}})["song"];
    EXPECT_EQ(song["userRating"], 4);
    EXPECT_TRUE(song["userRating"].is_number_integer());
    EXPECT_EQ(ok(s, "getAlbum", me + Query{{"id", "al-9302"}})["album"]["userRating"], 5);
    // search2's Artist carries the artist's rating (ArtistID3 has no such field).
    Json found = ok(s, "search2", me + Query{{"query", "Anno Guest"}})["searchResult2"];
    ASSERT_EQ(found["artist"].size(), 1u);
    EXPECT_EQ(found["artist"][0]["userRating"], 2);
    XmlNode x = s.xml("getSong", me + Query{{"id", "tr-9302"}});
    EXPECT_EQ(x.first(ns("song"))->attrs.at("userRating"), "4");
    ok(s, "setRating", me + Query{{"id", "tr-9302"}, {"rating", "1"}});
    EXPECT_EQ(ok(s, "getSong", me + Query{{"id", "tr-9302"}})["song"]["userRating"], 1);
    ok(s, "setRating", me + Query{{"id", "tr-9302"}, {"rating", "0"}});
    EXPECT_FALSE(ok(s, "getSong", me + Query{{"id", "tr-9302"}})["song"].contains("userRating"));
}

TEST(SubsonicAnnotations, HostileInputWritesNothing) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-hostile");
    auto err = [&](const std::string& method, Query q) { return code(s.json(method, me + q)); };
    EXPECT_EQ(err("star", {}), 10);
    EXPECT_EQ(err("star", {{"id", "9301"}}), 70) << "an id without its kind";
    EXPECT_EQ(err("star", {{"id", "ge-1"}}), 70);
    EXPECT_EQ(err("star", {{"albumId", "tr-9301"}}), 70) << "albumId takes albums only";
    EXPECT_EQ(err("star", {{"artistId", "al-9301"}}), 70);
    EXPECT_EQ(err("star", {{"id", "tr-9301"}, {"id", "tr-999999"}}), 70);
    EXPECT_EQ(err("unstar", {{"id", "al-999999"}}), 70);
    EXPECT_FALSE(ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"].contains("starred"))
        << "all or nothing: tr-9301 was not starred beside an unknown song";
    EXPECT_EQ(err("setRating", {{"id", "tr-9301"}}), 10);
    EXPECT_EQ(err("setRating", {{"rating", "3"}}), 10);
    for (const char* bad : {"6", "-1", "x", "", "3.5", "99999999999999999999"})
        EXPECT_EQ(err("setRating", {{"id", "tr-9301"}, {"rating", bad}}), 0) << bad;
    EXPECT_EQ(err("setRating", {{"id", "tr-999999"}, {"rating", "3"}}), 70);
    EXPECT_EQ(err("setRating", {{"id", "al-05"}, {"rating", "3"}}), 70);
    EXPECT_EQ(err("scrobble", {}), 10);
    EXPECT_EQ(err("scrobble", {{"id", "al-9301"}}), 70) << "only songs are scrobbled";
    EXPECT_EQ(err("scrobble", {{"id", "tr-9301"}, {"id", "tr-999999"}}), 70);
    EXPECT_EQ(err("scrobble", {{"id", "tr-9301"}, {"time", "yesterday"}}), 0);
    EXPECT_EQ(err("scrobble", {{"id", "tr-9301"}, {"time", "-5"}}), 0);
    EXPECT_EQ(err("scrobble", {{"id", "tr-9301"}, {"id", "tr-9302"}, {"time", "1"}}), 0)
        << "a time for each id, or none";
    EXPECT_EQ(err("scrobble", {{"id", "tr-9301"}, {"submission", "maybe"}}), 0);
    EXPECT_EQ(err("scrobble", {{"id", "tr-999999"}, {"submission", "false"}}), 70);
    Json song = ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"];
    EXPECT_EQ(song["playCount"], 0) << song.dump();
    EXPECT_FALSE(song.contains("userRating"));
    EXPECT_FALSE(song.contains("played"));
    EXPECT_EQ(count_rows(s,
                         "SELECT count(*) FROM user_track_data d JOIN users u ON u.id = "
                         "d.user_id WHERE u.name = 'anno-hostile'"),
              0);
}

TEST(SubsonicAnnotations, ScrobbleCountsPlaysOfSongsAndAlbums) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-plays");
    // 2026-01-02T03:04:05Z, then an earlier play reported late: the last play stays.
    ok(s, "scrobble", me + Query{{"id", "tr-9301"}, {"time", "1767323045000"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9301"}, {"time", "1767000000000"}});
    // Two plays of one song and one of another in one call; submission defaults to true.
    ok(s, "scrobble",
       me + Query{{"id", "tr-9302"},
                  {"id", "tr-9302"},
                  {"id", "tr-9301"},
                  {"submission", "true"},
                  {"time", "1767323000000"},
                  {"time", "1767323001000"},
                  {"time", "1000"}});
    Json song = ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"];
    EXPECT_EQ(song["playCount"], 3);
    EXPECT_EQ(song["played"], "2026-01-02T03:04:05Z");
    Json album = ok(s, "getAlbum", me + Query{{"id", "al-9301"}})["album"];
    EXPECT_EQ(album["playCount"], 5) << "every play of the album's songs";
    EXPECT_EQ(album["played"], "2026-01-02T03:04:05Z");
    EXPECT_EQ(album["song"][1]["playCount"], 2);
    EXPECT_EQ(album["song"][1]["played"], "2026-01-02T03:03:21Z");
    XmlNode x = s.xml("getAlbum", me + Query{{"id", "al-9301"}});
    EXPECT_EQ(x.first(ns("album"))->attrs.at("playCount"), "5");
    EXPECT_EQ(x.first(ns("album"))->attrs.at("played"), "2026-01-02T03:04:05Z");
    // Without a time: now. A time in the future is taken as now.
    ok(s, "scrobble", me + Query{{"id", "tr-9303"}, {"time", "253402300799999"}});
    Json now = ok(s, "getSong", me + Query{{"id", "tr-9303"}})["song"];
    ASSERT_TRUE(is_iso_time(now["played"]));
    EXPECT_LT(now["played"].get<std::string>(), "9999");
    EXPECT_GT(now["played"].get<std::string>(), "2026-01-02T03:04:05Z");
    // A now-playing report counts no play.
    ok(s, "scrobble", me + Query{{"id", "tr-9303"}, {"submission", "false"}});
    EXPECT_EQ(ok(s, "getSong", me + Query{{"id", "tr-9303"}})["song"]["playCount"], 1);
}

TEST(SubsonicAnnotations, ScrobblingNeedsTheScrobblingRole) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-noscrobble", false);
    EXPECT_EQ(code(s.json("scrobble", me + Query{{"id", "tr-9301"}})), 50);
    EXPECT_EQ(code(s.json("scrobble", me + Query{{"id", "tr-9301"}, {"submission", "false"}})), 50);
    XmlNode x = s.xml("scrobble", me + Query{{"id", "tr-9301"}});
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "50");
    // Stars and ratings need no role.
    ok(s, "star", me + Query{{"id", "tr-9301"}});
    ok(s, "setRating", me + Query{{"id", "tr-9301"}, {"rating", "3"}});
    EXPECT_EQ(ok(s, "getSong", me + Query{{"id", "tr-9301"}})["song"]["playCount"], 0);
}

TEST(SubsonicAnnotations, UsersDoNotSeeEachOthersData) {
    auto& s = shared_server();
    fill_annotations(s);
    Query a = as_user(s, "anno-one"), b = as_user(s, "anno-two");
    ok(s, "star", a + Query{{"id", "tr-9304"}, {"id", "al-9303"}, {"id", "ar-9302"}});
    ok(s, "setRating", a + Query{{"id", "tr-9304"}, {"rating", "5"}});
    ok(s, "setRating", a + Query{{"id", "al-9303"}, {"rating", "5"}});
    ok(s, "scrobble", a + Query{{"id", "tr-9304"}});
    ok(s, "setRating", b + Query{{"id", "tr-9304"}, {"rating", "2"}});
    Json mine = ok(s, "getSong", a + Query{{"id", "tr-9304"}})["song"];
    EXPECT_TRUE(is_iso_time(mine["starred"]));
    EXPECT_EQ(mine["userRating"], 5);
    EXPECT_EQ(mine["playCount"], 1);
    Json theirs = ok(s, "getSong", b + Query{{"id", "tr-9304"}})["song"];
    EXPECT_FALSE(theirs.contains("starred")) << theirs.dump();
    EXPECT_EQ(theirs["userRating"], 2);
    EXPECT_EQ(theirs["playCount"], 0);
    EXPECT_FALSE(theirs.contains("played"));
    // search3's songs and albums carry them too (a statement with more parameters).
    Json found = ok(s, "search3", a + Query{{"query", "Anno Three"}, {"songCount", "0"}});
    ASSERT_EQ(ids_of(found["searchResult3"]["album"], "al-93"),
              std::vector<std::string>{"al-9303"});
    EXPECT_EQ(found["searchResult3"]["album"][0]["userRating"], 5);
    found = ok(s, "search3", a + Query{{"query", "Delta"}, {"albumCount", "0"}});
    ASSERT_EQ(ids_of(found["searchResult3"]["song"], "tr-93"), std::vector<std::string>{"tr-9304"});
    EXPECT_EQ(found["searchResult3"]["song"][0]["playCount"], 1);
    found = ok(s, "search3", b + Query{{"query", "Delta"}, {"albumCount", "0"}});
    EXPECT_EQ(found["searchResult3"]["song"][0]["userRating"], 2);
    Json album = ok(s, "getAlbum", b + Query{{"id", "al-9303"}})["album"];
    EXPECT_FALSE(album.contains("starred"));
    EXPECT_FALSE(album.contains("userRating"));
    EXPECT_EQ(album["playCount"], 0);
    Json starred = ok(s, "getStarred2", b)["starred2"];
    EXPECT_EQ(ids_of(starred["song"], "tr-93").size(), 0u);
    EXPECT_EQ(ids_of(starred["album"], "al-93").size(), 0u);
    EXPECT_EQ(ids_of(starred["artist"], "ar-93").size(), 0u);
    for (const char* type : {"starred", "highest", "frequent", "recent"})
        EXPECT_EQ(ids_of(ok(s, "getAlbumList2", b + Query{{"type", type}})["albumList2"]["album"],
                         "al-93")
                      .size(),
                  0u)
            << type;
}

TEST(SubsonicAnnotations, ConcurrentScrobblesAreAllCounted) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-concurrent");
    constexpr int kThreads = 8, kEach = 10;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < kEach; ++j) {
                // Two songs, listed in either order, so that writers lock rows in turn.
                Query q = j % 2 ? Query{{"id", "tr-9303"}, {"id", "tr-9305"}}
                                : Query{{"id", "tr-9305"}, {"id", "tr-9303"}};
                auto res = s.get("scrobble", me + q + Query{{"f", "json"}});
                ASSERT_TRUE(res);
                EXPECT_NE(res->body.find("\"ok\""), std::string::npos) << res->body;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(ok(s, "getSong", me + Query{{"id", "tr-9303"}})["song"]["playCount"],
              kThreads * kEach);
    EXPECT_EQ(ok(s, "getSong", me + Query{{"id", "tr-9305"}})["song"]["playCount"],
              kThreads * kEach);
    EXPECT_EQ(ok(s, "getAlbum", me + Query{{"id", "al-9302"}})["album"]["playCount"],
              kThreads * kEach);
}

TEST(SubsonicAnnotations, RowsGoWithTheirUserAndTheirEntity) {
    auto& s = shared_server();
    fill_annotations(s);
    Query me = as_user(s, "anno-leaving");
    int64_t id = user_id(s, "anno-leaving");
    ok(s, "star", me + Query{{"id", "tr-9301"}, {"id", "al-9301"}, {"id", "ar-9301"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9301"}});
    ok(s, "scrobble", me + Query{{"id", "tr-9301"}, {"submission", "false"}});
    auto rows = [&] {
        std::string u = std::to_string(id);
        return count_rows(s, "SELECT (SELECT count(*) FROM user_track_data WHERE user_id = " + u +
                                 ") + (SELECT count(*) FROM user_album_data WHERE user_id = " + u +
                                 ") + (SELECT count(*) FROM user_artist_data WHERE "
                                 "user_id = " +
                                 u + ") + (SELECT count(*) FROM now_playing WHERE user_id = " + u +
                                 ")");
    };
    EXPECT_EQ(rows(), 4);
    ok(s, "deleteUser", as_admin() + Query{{"username", "anno-leaving"}});
    EXPECT_EQ(rows(), 0);
    // An entity's rows go with it (a rescan deleting a track, an album, an artist).
    Query other = as_user(s, "anno-entity");
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec_script(
        "INSERT INTO artists (id, name) VALUES (9309, 'Anno Gone');"
        "INSERT INTO albums (id, title, album_artist_id) VALUES (9309, 'Anno Gone', 9309);"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
        "(9309, 'Gone', '/srv/music/A/9.mp3', 9309, 9309);");
    ok(s, "star", other + Query{{"id", "tr-9309"}, {"id", "al-9309"}, {"id", "ar-9309"}});
    ok(s, "scrobble", other + Query{{"id", "tr-9309"}, {"submission", "false"}});
    conn->exec_script("DELETE FROM artists WHERE id = 9309");
    EXPECT_EQ(count_rows(s,
                         "SELECT (SELECT count(*) FROM user_track_data WHERE track_id = 9309) "
                         "+ (SELECT count(*) FROM user_album_data WHERE album_id = 9309) + "
                         "(SELECT count(*) FROM user_artist_data WHERE artist_id = 9309) + "
                         "(SELECT count(*) FROM now_playing WHERE track_id = 9309)"),
              0);
}

}  // namespace
}  // namespace sonique::test
