// getAlbumList and getAlbumList2 over albums of their own (ids 91xx, names that sort apart), in
// both formats, with hostile parameters.
#include <gtest/gtest.h>

#include "db/pool.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

void fill_lists(SubsonicServer& s) {
    static bool done = false;
    if (done) return;
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec_script(
        "INSERT INTO artists (id, name, sort_name) VALUES (9101, 'List Artist B', NULL), "
        "(9102, 'Zed List', 'aaa List Artist A');"
        "INSERT INTO albums (id, title, album_artist_id, release_year, date_added) VALUES "
        "(9101, 'Lx Beta', 9101, '1990', '2001-01-01'), "
        "(9102, 'lx alpha', 9101, '1985', '2001-01-01'), "
        "(9103, 'Lx Gamma', 9102, '1995', '2099-01-01');"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration, genre) VALUES "
        "(9101, 'Listsong One', '/srv/music/L/1.mp3', 9101, 9101, 100, 'ListGenre'), "
        "(9102, 'Listsong Two', '/srv/music/L/2.mp3', 9101, 9102, 50, NULL), "
        "(9103, 'Listsong Three', '/srv/music/L/3.ogg', 9102, 9103, 70, 'ListGenre');"
        "INSERT INTO genres (id, name) VALUES (9101, 'ListGenre');"
        "INSERT INTO track_genres (track_id, genre_id) VALUES (9101, 9101), (9103, 9101);");
    done = true;
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

// The ids of a list's albums that this suite wrote (other suites share the database).
std::vector<std::string> own_ids(const Json& albums) {
    std::vector<std::string> out;
    for (const auto& a : albums) {
        std::string id = a["id"].get<std::string>();
        if (id.starts_with("al-91")) out.push_back(id);
    }
    return out;
}

Json list2(SubsonicServer& s, Query q) {
    Json r = s.json("getAlbumList2", as_alice() + q);
    EXPECT_EQ(r["status"], "ok") << r.dump();
    EXPECT_TRUE(r["albumList2"]["album"].is_array()) << r.dump();
    return r["albumList2"]["album"];
}

using Ids = std::vector<std::string>;

TEST(SubsonicLists, AlbumList2OrdersByNameArtistYearAndDate) {
    auto& s = shared_server();
    fill_lists(s);
    EXPECT_EQ(own_ids(list2(s, {{"type", "alphabeticalByName"}, {"size", "500"}})),
              (Ids{"al-9102", "al-9101", "al-9103"}));
    EXPECT_EQ(own_ids(list2(s, {{"type", "alphabeticalByArtist"}, {"size", "500"}})),
              (Ids{"al-9103", "al-9102", "al-9101"}))
        << "by the artist's sort name, then title";
    EXPECT_EQ(own_ids(list2(s, {{"type", "byYear"}, {"fromYear", "1985"}, {"toYear", "1995"}})),
              (Ids{"al-9102", "al-9101", "al-9103"}));
    EXPECT_EQ(own_ids(list2(s, {{"type", "byYear"}, {"fromYear", "1995"}, {"toYear", "1985"}})),
              (Ids{"al-9103", "al-9101", "al-9102"}))
        << "fromYear > toYear: reverse chronological";
    EXPECT_EQ(own_ids(list2(s, {{"type", "byYear"}, {"fromYear", "1986"}, {"toYear", "1990"}})),
              (Ids{"al-9101"}));
    Json newest = list2(s, {{"type", "newest"}, {"size", "1"}});
    ASSERT_EQ(newest.size(), 1u);
    EXPECT_EQ(newest[0]["id"], "al-9103");
    EXPECT_EQ(list2(s, {{"type", "random"}, {"size", "2"}}).size(), 2u);
    EXPECT_EQ(list2(s, {{"type", "random"}, {"size", "0"}}).size(), 0u);
}

TEST(SubsonicLists, AlbumList2ByGenreWithTheSpecFields) {
    auto& s = shared_server();
    fill_lists(s);
    Json albums = list2(s, {{"type", "byGenre"}, {"genre", "listgenre"}});
    ASSERT_EQ(own_ids(albums), (Ids{"al-9101", "al-9103"})) << "a genre's name whatever its case";
    const Json& a = albums[0];
    EXPECT_EQ(a["name"], "Lx Beta");
    EXPECT_EQ(a["artist"], "List Artist B");
    EXPECT_EQ(a["artistId"], "ar-9101");
    EXPECT_EQ(a["songCount"], 1);
    EXPECT_EQ(a["duration"], 100);
    EXPECT_EQ(a["year"], 1990);
    EXPECT_EQ(a["genre"], "ListGenre");
    EXPECT_EQ(a["created"], "2001-01-01T00:00:00Z");
    EXPECT_TRUE(a["artists"].is_array());
    EXPECT_EQ(list2(s, {{"type", "byGenre"}, {"genre", "No such genre"}}).size(), 0u);
    XmlNode x =
        s.xml("getAlbumList2", as_alice() + Query{{"type", "byGenre"}, {"genre", "ListGenre"}});
    const XmlNode* list = x.first(ns("albumList2"));
    ASSERT_NE(list, nullptr);
    auto xa = list->all(ns("album"));
    ASSERT_EQ(xa.size(), 2u);
    EXPECT_EQ(xa[0]->attrs.at("id"), "al-9101");
    EXPECT_EQ(xa[0]->attrs.at("songCount"), "1");
    EXPECT_EQ(xa[1]->attrs.at("name"), "Lx Gamma");
}

TEST(SubsonicLists, AlbumListAnswersChildrenThatAreFolders) {
    auto& s = shared_server();
    fill_lists(s);
    Json r =
        s.json("getAlbumList", as_alice() + Query{{"type", "byGenre"}, {"genre", "ListGenre"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& albums = r["albumList"]["album"];
    ASSERT_EQ(albums.size(), 2u);
    EXPECT_EQ(albums[0]["id"], "al-9101");
    EXPECT_EQ(albums[0]["parent"], "ar-9101");
    EXPECT_EQ(albums[0]["isDir"], true);
    EXPECT_EQ(albums[0]["title"], "Lx Beta");
    EXPECT_EQ(albums[0]["album"], "Lx Beta");
    EXPECT_EQ(albums[0]["artist"], "List Artist B");
    EXPECT_EQ(albums[0]["year"], 1990);
    EXPECT_EQ(albums[0]["duration"], 100);
    XmlNode x =
        s.xml("getAlbumList", as_alice() + Query{{"type", "byGenre"}, {"genre", "ListGenre"}});
    auto xa = x.first(ns("albumList"))->all(ns("album"));
    ASSERT_EQ(xa.size(), 2u);
    EXPECT_EQ(xa[1]->attrs.at("isDir"), "true");
    EXPECT_EQ(xa[1]->attrs.at("title"), "Lx Gamma");
}

TEST(SubsonicLists, PagesFollowOneAnother) {
    auto& s = shared_server();
    fill_lists(s);
    Json all = list2(s, {{"type", "alphabeticalByName"}, {"size", "500"}});
    ASSERT_GE(all.size(), 3u);
    for (size_t i = 0; i < all.size(); ++i) {
        Json page = list2(
            s, {{"type", "alphabeticalByName"}, {"size", "1"}, {"offset", std::to_string(i)}});
        ASSERT_EQ(page.size(), 1u);
        EXPECT_EQ(page[0]["id"], all[i]["id"]);
    }
    EXPECT_EQ(list2(s, {{"type", "alphabeticalByName"}, {"offset", "100000"}}).size(), 0u);
    EXPECT_LE(list2(s, {{"type", "newest"}}).size(), 10u) << "size defaults to 10";
}

TEST(SubsonicLists, PerUserTypesAreEmptyForAUserWithoutData) {
    auto& s = shared_server();
    fill_lists(s);
    for (const char* type : {"highest", "frequent", "recent", "starred"}) {
        EXPECT_EQ(list2(s, {{"type", type}}), Json::array()) << type;
        Json r = s.json("getAlbumList", as_alice() + Query{{"type", type}});
        EXPECT_EQ(r["albumList"]["album"], Json::array()) << type;
    }
}

TEST(SubsonicLists, HostileParameters) {
    auto& s = shared_server();
    fill_lists(s);
    auto list = [&](Query q) { return code(s.json("getAlbumList2", as_alice() + q)); };
    EXPECT_EQ(list({}), 10) << "type is required";
    EXPECT_EQ(list({{"type", "bestOf"}}), 0);
    EXPECT_EQ(list({{"type", "Newest"}}), 0) << "types are case-sensitive, as in the spec";
    EXPECT_EQ(list({{"type", "newest"}, {"size", "-1"}}), 0);
    EXPECT_EQ(list({{"type", "newest"}, {"size", "ten"}}), 0);
    EXPECT_EQ(list({{"type", "newest"}, {"size", "99999999999999999999"}}), 0);
    EXPECT_EQ(list({{"type", "newest"}, {"offset", "-5"}}), 0);
    EXPECT_EQ(list({{"type", "byYear"}, {"fromYear", "1990"}}), 10);
    EXPECT_EQ(list({{"type", "byYear"}, {"fromYear", "1990"}, {"toYear", "x"}}), 0);
    EXPECT_EQ(list({{"type", "byYear"}, {"fromYear", "1990"}, {"toYear", "3000000000"}}), 0);
    EXPECT_EQ(list({{"type", "byGenre"}}), 10);
    EXPECT_EQ(list({{"type", "byGenre"}, {"genre", "'; DROP TABLE albums; --"}}), -1);
    EXPECT_EQ(code(s.json("getAlbumList", as_alice() + Query{{"type", "x"}})), 0);
    Json big = list2(s, {{"type", "alphabeticalByName"}, {"size", "100000"}});
    EXPECT_LE(big.size(), 500u) << "sizes past 500 are lowered to it";
    EXPECT_EQ(own_ids(big).size(), 3u);
}

}  // namespace
}  // namespace sonique::test
