// search2, search3 (also the empty query that syncs a whole library, page by page),
// getRandomSongs and getSongsByGenre over a catalog of their own (ids 92xx, names with "Qzx").
#include <gtest/gtest.h>

#include <algorithm>

#include "db/pool.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

void fill_search(SubsonicServer& s) {
    static bool done = false;
    if (done) return;
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec_script(
        "INSERT INTO artists (id, name) VALUES (9201, 'Qzx Band'), (9202, 'Other QZX'), "
        "(9203, '100%_Pure');"
        "INSERT INTO albums (id, title, album_artist_id, release_year) VALUES "
        "(9201, 'Qzx Album', 9201, '2000'), (9202, 'Unrelated', 9202, '2010');"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration, year) VALUES "
        "(9201, 'qzx song', '/srv/music/Q/1.flac', 9201, 9201, 60, '2000-05-01'), "
        "(9202, 'Another QZX', '/srv/music/Q/2.mp3', 9202, 9202, 61, '2010'), "
        "(9203, 'plain', '/srv/music/Q/3.opus', 9202, 9202, 62, '2010');"
        "INSERT INTO genres (id, name) VALUES (9201, 'SearchGenre');"
        "INSERT INTO track_genres (track_id, genre_id) VALUES (9201, 9201), (9203, 9201);");
    done = true;
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

using Ids = std::vector<std::string>;

// The ids in a list that this suite wrote (other suites share the database).
Ids own(const Json& list) {
    Ids out;
    for (const auto& e : list) {
        std::string id = e["id"].get<std::string>();
        if (id.size() > 3 && id.substr(3, 2) == "92") out.push_back(id);
    }
    return out;
}

Json ok(SubsonicServer& s, const std::string& method, const std::string& element, Query q) {
    Json r = s.json(method, as_alice() + q);
    EXPECT_EQ(r["status"], "ok") << r.dump();
    return r[element];
}

TEST(SubsonicSearch, Search3FindsArtistsAlbumsAndSongsWhateverTheCase) {
    auto& s = shared_server();
    fill_search(s);
    Json r = ok(s, "search3", "searchResult3", {{"query", "qZx"}});
    EXPECT_EQ(own(r["artist"]), (Ids{"ar-9201", "ar-9202"}));
    EXPECT_EQ(own(r["album"]), (Ids{"al-9201"}));
    EXPECT_EQ(own(r["song"]), (Ids{"tr-9201", "tr-9202"}));
    EXPECT_EQ(r["artist"][0]["name"], "Qzx Band");
    EXPECT_EQ(r["artist"][0]["albumCount"], 1);
    EXPECT_EQ(r["album"][0]["songCount"], 1);
    EXPECT_EQ(r["album"][0]["year"], 2000);
    const Json& song = r["song"][0];
    EXPECT_EQ(song["title"], "qzx song");
    EXPECT_EQ(song["albumId"], "al-9201");
    EXPECT_EQ(song["duration"], 60);
    EXPECT_EQ(song["year"], 2000);
    EXPECT_EQ(song["isDir"], false);
    EXPECT_EQ(song["contentType"], "audio/flac");
    EXPECT_EQ(ok(s, "search3", "searchResult3", {{"query", " qzx* "}}), r)
        << "blanks and a trailing * are dropped";
    XmlNode x = s.xml("search3", as_alice() + Query{{"query", "qzx"}});
    const XmlNode* res = x.first(ns("searchResult3"));
    ASSERT_NE(res, nullptr);
    EXPECT_EQ(res->all(ns("artist")).size(), 2u);
    ASSERT_EQ(res->all(ns("album")).size(), 1u);
    EXPECT_EQ(res->first(ns("album"))->attrs.at("name"), "Qzx Album");
    ASSERT_EQ(res->all(ns("song")).size(), 2u);
    EXPECT_EQ(res->all(ns("song"))[1]->attrs.at("contentType"), "audio/mpeg");
    Json none = ok(s, "search3", "searchResult3", {{"query", "no such thing at all"}});
    EXPECT_EQ(none, Json::parse(R"({"artist":[],"album":[],"song":[]})"));
}

TEST(SubsonicSearch, Search2AnswersArtistsAndChildren) {
    auto& s = shared_server();
    fill_search(s);
    Json r = ok(s, "search2", "searchResult2", {{"query", "qzx"}});
    EXPECT_EQ(r["artist"][0], Json::parse(R"({"id":"ar-9201","name":"Qzx Band"})"));
    EXPECT_EQ(r["album"][0]["isDir"], true);
    EXPECT_EQ(r["album"][0]["title"], "Qzx Album");
    EXPECT_EQ(r["album"][0]["parent"], "ar-9201");
    EXPECT_EQ(own(r["song"]), (Ids{"tr-9201", "tr-9202"}));
    XmlNode x = s.xml("search2", as_alice() + Query{{"query", "qzx"}});
    EXPECT_EQ(x.first(ns("searchResult2"))->first(ns("album"))->attrs.at("isDir"), "true");
}

TEST(SubsonicSearch, LikeWildcardsAreLiteral) {
    auto& s = shared_server();
    fill_search(s);
    EXPECT_EQ(own(ok(s, "search3", "searchResult3", {{"query", "%_"}})["artist"]),
              (Ids{"ar-9203"}));
    EXPECT_EQ(own(ok(s, "search3", "searchResult3", {{"query", "%"}})["song"]), Ids{});
    EXPECT_EQ(own(ok(s, "search3", "searchResult3", {{"query", "\\"}})["artist"]), Ids{});
}

// Songs page by page with an empty query, as clients sync: the pages join up, ordered by id.
TEST(SubsonicSearch, EmptyQueryPagesThroughEverything) {
    auto& s = shared_server();
    fill_search(s);
    for (const char* empty : {"", "\"\""}) {
        Json all =
            ok(s, "search3", "searchResult3",
               {{"query", empty}, {"songCount", "500"}, {"artistCount", "0"}, {"albumCount", "0"}});
        EXPECT_EQ(all["artist"], Json::array());
        EXPECT_EQ(all["album"], Json::array());
        ASSERT_GE(all["song"].size(), 3u);
        ASSERT_LT(all["song"].size(), 500u);
        Ids ids;
        for (size_t offset = 0;; offset += 2) {
            Json page = ok(s, "search3", "searchResult3",
                           {{"query", empty},
                            {"songCount", "2"},
                            {"songOffset", std::to_string(offset)}})["song"];
            for (const auto& song : page)
                ids.push_back(song["id"]);
            if (page.size() < 2) break;
        }
        Ids expected;
        for (const auto& song : all["song"])
            expected.push_back(song["id"]);
        EXPECT_EQ(ids, expected);
        EXPECT_EQ(own(all["song"]), (Ids{"tr-9201", "tr-9202", "tr-9203"}));
        Json artists =
            ok(s, "search3", "searchResult3", {{"query", empty}, {"artistCount", "500"}});
        EXPECT_EQ(own(artists["artist"]), (Ids{"ar-9201", "ar-9202", "ar-9203"}));
        EXPECT_LE(artists["song"].size(), 20u) << "counts default to 20";
    }
}

TEST(SubsonicSearch, SearchRefusesBadCounts) {
    auto& s = shared_server();
    fill_search(s);
    auto search = [&](Query q) { return code(s.json("search3", as_alice() + q)); };
    EXPECT_EQ(search({}), 10);
    EXPECT_EQ(search({{"query", "a"}, {"songCount", "-1"}}), 0);
    EXPECT_EQ(search({{"query", "a"}, {"albumOffset", "x"}}), 0);
    EXPECT_EQ(search({{"query", "a"}, {"artistOffset", "-3"}}), 0);
    EXPECT_EQ(search({{"query", "'; DROP TABLE tracks; --"}}), -1);
    Json big = ok(s, "search3", "searchResult3", {{"query", ""}, {"songCount", "100000"}});
    EXPECT_LE(big["song"].size(), 500u);
    EXPECT_EQ(code(s.json("search2", as_alice() + Query{{"query", "a"}, {"songCount", "z"}})), 0);
}

Ids sorted(Ids ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
}

TEST(SubsonicSearch, RandomSongsByGenreAndYears) {
    auto& s = shared_server();
    fill_search(s);
    auto random = [&](Query q) { return ok(s, "getRandomSongs", "randomSongs", q)["song"]; };
    Json g = random({{"genre", "searchgenre"}, {"size", "500"}});
    EXPECT_EQ(sorted(own(g)), (Ids{"tr-9201", "tr-9203"}));
    EXPECT_EQ(g.size(), 2u);
    EXPECT_EQ(own(random({{"genre", "SearchGenre"}, {"fromYear", "2005"}})), (Ids{"tr-9203"}));
    EXPECT_EQ(own(random({{"genre", "SearchGenre"}, {"toYear", "2005"}})), (Ids{"tr-9201"}));
    EXPECT_EQ(random({{"genre", "No genre"}}), Json::array());
    EXPECT_EQ(random({{"size", "1"}}).size(), 1u);
    EXPECT_LE(random({}).size(), 10u);
    EXPECT_EQ(g[0]["isDir"], false);
    EXPECT_TRUE(g[0]["contentType"].is_string());
    XmlNode x = s.xml("getRandomSongs", as_alice() + Query{{"genre", "SearchGenre"}});
    EXPECT_EQ(x.first(ns("randomSongs"))->all(ns("song")).size(), 2u);
    auto bad = [&](Query q) { return code(s.json("getRandomSongs", as_alice() + q)); };
    EXPECT_EQ(bad({{"size", "-1"}}), 0);
    EXPECT_EQ(bad({{"fromYear", "abc"}}), 0);
    EXPECT_EQ(bad({{"toYear", "99999999999"}}), 0);
}

TEST(SubsonicSearch, SongsByGenrePageById) {
    auto& s = shared_server();
    fill_search(s);
    auto by_genre = [&](Query q) { return ok(s, "getSongsByGenre", "songsByGenre", q)["song"]; };
    EXPECT_EQ(own(by_genre({{"genre", "SEARCHGENRE"}})), (Ids{"tr-9201", "tr-9203"}));
    EXPECT_EQ(own(by_genre({{"genre", "SearchGenre"}, {"count", "1"}, {"offset", "1"}})),
              (Ids{"tr-9203"}));
    EXPECT_EQ(by_genre({{"genre", "SearchGenre"}, {"offset", "2"}}), Json::array());
    XmlNode x = s.xml("getSongsByGenre", as_alice() + Query{{"genre", "SearchGenre"}});
    auto songs = x.first(ns("songsByGenre"))->all(ns("song"));
    ASSERT_EQ(songs.size(), 2u);
    EXPECT_EQ(songs[1]->attrs.at("suffix"), "opus");
    auto bad = [&](Query q) { return code(s.json("getSongsByGenre", as_alice() + q)); };
    EXPECT_EQ(bad({}), 10);
    EXPECT_EQ(bad({{"genre", "SearchGenre"}, {"count", "-2"}}), 0);
    EXPECT_EQ(bad({{"genre", "SearchGenre"}, {"offset", "no"}}), 0);
}

}  // namespace
}  // namespace sonique::test
