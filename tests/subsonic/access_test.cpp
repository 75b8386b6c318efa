// Music folders per user (musicFolderId): what a user restricted to one root sees in lists,
// searches and by direct ids, the musicFolderId parameter, and the users' folder settings.
#include <gtest/gtest.h>

#include <set>

#include "browse_support.hpp"
#include "services/subsonic_catalog.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

std::set<std::string> ids(const Json& list) {
    std::set<std::string> out;
    for (const auto& e : list)
        out.insert(e["id"].get<std::string>());
    return out;
}

using Ids = std::set<std::string>;

TEST(SubsonicAccess, UsersSeeTheirFolders) {
    auto& s = browse_server();
    EXPECT_EQ(s.json("getMusicFolders", as_bob())["musicFolders"]["musicFolder"],
              Json::parse(R"([{"id": 2, "name": "Spoken"}])"));
    EXPECT_EQ(s.json("getMusicFolders", as_alice())["musicFolders"]["musicFolder"].size(), 2u);
    EXPECT_EQ(s.json("getUser", as_bob() + Query{{"username", kBobName}})["user"]["folder"],
              Json::array({2}));
    Json users = s.json("getUsers", as_admin())["users"]["user"];
    for (const auto& u : users)
        EXPECT_EQ(u["folder"], u["username"] == kBobName ? Json::array({2}) : Json::array({1, 2}))
            << u.dump();
    XmlNode x = s.xml("getUser", as_admin() + Query{{"username", kBobName}});
    auto folders = x.first(ns("user"))->all(ns("folder"));
    ASSERT_EQ(folders.size(), 1u);
    EXPECT_EQ(folders[0]->text, "2");
}

TEST(SubsonicAccess, ListsAndSearchesKeepToTheUsersFolders) {
    auto& s = browse_server();
    Json artists = s.json("getArtists", as_bob())["artists"]["index"];
    ASSERT_EQ(artists.size(), 1u) << artists.dump();
    EXPECT_EQ(ids(artists[0]["artist"]), Ids{"ar-3"});
    Json albums = s.json("getAlbumList2", as_bob() + Query{{"type", "alphabeticalByName"},
                                                           {"size", "50"}})["albumList2"]["album"];
    EXPECT_EQ(ids(albums), Ids{"al-3"});
    Json found = s.json("search3", as_bob() + Query{{"query", ""}})["searchResult3"];
    EXPECT_EQ(ids(found["artist"]), Ids{"ar-3"});
    EXPECT_EQ(ids(found["album"]), Ids{"al-3"});
    EXPECT_EQ(ids(found["song"]), Ids{"tr-5"});
    Json old = s.json("search2", as_bob() + Query{{"query", "a"}})["searchResult2"];
    EXPECT_EQ(ids(old["song"]), Ids{"tr-5"});
    EXPECT_EQ(
        ids(s.json("getRandomSongs", as_bob() + Query{{"size", "50"}})["randomSongs"]["song"]),
        Ids{"tr-5"});
    Json indexes = s.json("getIndexes", as_bob())["indexes"]["index"];
    ASSERT_EQ(indexes.size(), 1u);
    EXPECT_EQ(indexes[0]["artist"][0]["name"], "Narrator");
    EXPECT_EQ(
        ids(s.json("getSimilarSongs2", as_bob() + Query{{"id", "ar-3"}})["similarSongs2"]["song"]),
        Ids{"tr-5"});
    // Alice sees everything, also what lies outside the roots (written through the REST API).
    EXPECT_EQ(ids(s.json("search3", as_alice() + Query{{"query", ""}})["searchResult3"]["song"]),
              (Ids{"tr-1", "tr-2", "tr-3", "tr-4", "tr-5", "tr-6"}));
}

TEST(SubsonicAccess, EntitiesOutsideTheFoldersAreNotFound) {
    auto& s = browse_server();
    for (auto [method, id] : std::vector<std::pair<std::string, std::string>>{
             {"getArtist", "ar-1"},
             {"getAlbum", "al-1"},
             {"getSong", "tr-1"},
             {"getSong", "tr-6"},
             {"getMusicDirectory", services::folder_id(1, "The Cure")},
             {"getMusicDirectory", services::folder_id(1, "")},
             {"getLyricsBySongId", "tr-1"},
             {"getArtistInfo2", "ar-1"},
             {"getAlbumInfo2", "al-1"},
             {"getSimilarSongs2", "tr-1"}}) {
        EXPECT_EQ(code(s.json(method, as_bob() + Query{{"id", id}})), 70) << method << " " << id;
        EXPECT_NE(code(s.json(method, as_alice() + Query{{"id", id}})), 70) << method << " " << id;
    }
    EXPECT_EQ(s.json("getAlbum", as_bob() + Query{{"id", "al-3"}})["status"], "ok");
    EXPECT_EQ(s.json("getArtist", as_bob() + Query{{"id", "ar-3"}})["artist"]["albumCount"], 1);
    // getLyrics finds nothing outside the folders either.
    EXPECT_EQ(s.json("getLyrics", as_bob() + Query{{"title", "Plainsong"}})["lyrics"]["value"], "");
}

TEST(SubsonicAccess, MusicFolderIdNarrowsAndIsChecked) {
    auto& s = browse_server();
    Json music = s.json("getArtists", as_alice() + Query{{"musicFolderId", "1"}});
    Json names = Json::array();
    for (const auto& index : music["artists"]["index"])
        for (const auto& a : index["artist"])
            names.push_back(a["name"]);
    EXPECT_EQ(names, Json({"Adele", "The Cure"}));
    Json spoken =
        s.json("getAlbumList2", as_alice() + Query{{"type", "newest"}, {"musicFolderId", "2"}});
    EXPECT_EQ(ids(spoken["albumList2"]["album"]), Ids{"al-3"});
    Json both =
        s.json("search3",
               as_alice() + Query{{"query", ""}, {"musicFolderId", "1"}, {"musicFolderId", "2"}});
    EXPECT_EQ(ids(both["searchResult3"]["song"]), (Ids{"tr-1", "tr-2", "tr-3", "tr-4", "tr-5"}));
    // A folder the user may not see: 50; one that does not exist: 70; not a number: 0.
    EXPECT_EQ(code(s.json("getArtists", as_bob() + Query{{"musicFolderId", "1"}})), 50);
    EXPECT_EQ(
        code(s.json("getAlbumList2", as_bob() + Query{{"type", "newest"}, {"musicFolderId", "1"}})),
        50);
    EXPECT_EQ(code(s.json("search3", as_bob() + Query{{"query", ""}, {"musicFolderId", "1"}})), 50);
    EXPECT_EQ(code(s.json("getIndexes", as_bob() + Query{{"musicFolderId", "1"}})), 50);
    EXPECT_EQ(code(s.json("getArtists", as_alice() + Query{{"musicFolderId", "0"}})), 70);
    EXPECT_EQ(code(s.json("getArtists", as_alice() + Query{{"musicFolderId", "1.5"}})), 0);
    XmlNode x = s.xml("getArtists", as_bob() + Query{{"musicFolderId", "1"}});
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "50");
}

TEST(SubsonicAccess, AdministratorsSetTheFolders) {
    auto& s = browse_server();
    // A bad folder refuses the whole call: the user is not created.
    EXPECT_EQ(code(s.json("createUser", as_admin() + Query{{"username", "carol"},
                                                           {"password", "pw"},
                                                           {"email", "c@x"},
                                                           {"musicFolderId", "7"}})),
              70);
    EXPECT_EQ(code(s.json("getUser", as_admin() + Query{{"username", "carol"}})), 70);
    EXPECT_EQ(code(s.json("updateUser",
                          as_bob() + Query{{"username", kBobName}, {"musicFolderId", "1"}})),
              50);
    Json r = s.json(
        "updateUser",
        as_admin() + Query{{"username", kBobName}, {"musicFolderId", "1"}, {"musicFolderId", "2"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(s.json("getUser", as_bob() + Query{{"username", kBobName}})["user"]["folder"],
              Json::array({1, 2}));
    EXPECT_EQ(s.json("getSong", as_bob() + Query{{"id", "tr-1"}})["status"], "ok");
    // Without musicFolderId, updateUser keeps the folders.
    ASSERT_EQ(s.json("updateUser",
                     as_admin() + Query{{"username", kBobName}, {"email", "b@x"}})["status"],
              "ok");
    EXPECT_EQ(s.json("getUser", as_bob() + Query{{"username", kBobName}})["user"]["folder"],
              Json::array({1, 2}));
    ASSERT_EQ(s.json("updateUser",
                     as_admin() + Query{{"username", kBobName}, {"musicFolderId", "2"}})["status"],
              "ok");
    EXPECT_EQ(code(s.json("getSong", as_bob() + Query{{"id", "tr-1"}})), 70);
    EXPECT_EQ(code(s.json("updateUser",
                          as_admin() + Query{{"username", "nobody"}, {"musicFolderId", "2"}})),
              70);
}

// Roots are written into the SQL as literals: quotes and backslashes in them stay text.
TEST(SubsonicAccess, RootsWithQuotesAndBackslashesAreLiterals) {
    auto& s = browse_server();
    auto& ctx = s.server().runtime().services();
    services::FolderScope odd{std::vector<std::string>{"/srv/it's\\dir", "/srv/lib/Spoken"}};
    Json artists = Json::parse(services::SubsonicCatalog(ctx, 0, odd).artists().text);
    ASSERT_EQ(artists["index"].size(), 1u) << artists.dump();
    EXPECT_EQ(artists["index"][0]["artist"][0]["name"], "Narrator");
    services::FolderScope none{std::vector<std::string>{"/srv/x' OR true --"}};
    EXPECT_EQ(Json::parse(services::SubsonicCatalog(ctx, 0, none).artists().text)["index"],
              Json::array());
    EXPECT_FALSE(services::SubsonicCatalog(ctx, 0, none).song(1));
}

TEST(SubsonicAccess, OpenSubsonicFieldsTheScanReads) {
    auto& s = browse_server();
    Json song = s.json("getSong", as_alice() + Query{{"id", "tr-1"}})["song"];
    EXPECT_EQ(song["bpm"], 122);
    EXPECT_EQ(song["moods"], Json({"dreamy", "melancholic"}));
    EXPECT_FALSE(s.json("getSong", as_alice() + Query{{"id", "tr-3"}})["song"].contains("bpm"));
    Json album = s.json("getAlbum", as_alice() + Query{{"id", "al-1"}})["album"];
    EXPECT_EQ(album["releaseDate"], Json({{"year", 1989}, {"month", 5}, {"day", 2}}));
    EXPECT_EQ(album["originalReleaseDate"], Json({{"year", 1989}, {"month", 5}, {"day", 2}}));
    EXPECT_EQ(album["moods"], Json({"dreamy", "melancholic"}));
    Json adele = s.json("getAlbum", as_alice() + Query{{"id", "al-2"}})["album"];
    EXPECT_EQ(adele["releaseDate"], Json({{"year", 2011}}));
    EXPECT_FALSE(adele.contains("originalReleaseDate"));
    EXPECT_FALSE(adele.contains("moods"));
    XmlNode x = s.xml("getAlbum", as_alice() + Query{{"id", "al-1"}});
    const XmlNode* a = x.first(ns("album"));
    ASSERT_NE(a, nullptr);
    ASSERT_NE(a->first(ns("releaseDate")), nullptr);
    EXPECT_EQ(a->first(ns("releaseDate"))->attrs.at("month"), "5");
    ASSERT_EQ(a->all(ns("moods")).size(), 2u);
    EXPECT_EQ(a->all(ns("moods"))[0]->text, "dreamy");
    const XmlNode* first_song = a->first(ns("song"));
    ASSERT_NE(first_song, nullptr);
    EXPECT_EQ(first_song->attrs.at("bpm"), "122");
}

}  // namespace
}  // namespace sonique::test
