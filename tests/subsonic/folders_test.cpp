// getIndexes and getMusicDirectory: the library's real folders, navigated to the end in both
// formats, ifModifiedSince, musicFolderId, and folder ids that are not ids.
#include <gtest/gtest.h>

#include "browse_support.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

TEST(SubsonicFolders, IndexesListTheFirstLevelFoldersOfTheRoots) {
    auto& s = browse_server();
    Json r = s.json("getIndexes", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& ix = r["indexes"];
    EXPECT_EQ(ix["ignoredArticles"], "The El La Los Las Le Les");
    EXPECT_TRUE(ix["lastModified"].is_number_integer());
    EXPECT_GT(ix["lastModified"].get<int64_t>(), 1'600'000'000'000);
    // "The Cure" under C (its article ignored); the song right in the first root as a child.
    Json names = Json::array();
    for (const auto& index : ix["index"])
        for (const auto& a : index["artist"])
            names.push_back(index["name"].get<std::string>() + ":" + a["name"].get<std::string>());
    EXPECT_EQ(names, Json({"A:Adele", "C:The Cure", "N:Narrator"}));
    ASSERT_EQ(ix["child"].size(), 1u) << ix.dump();
    EXPECT_EQ(ix["child"][0]["title"], "Loose");
    EXPECT_EQ(ix["child"][0]["id"], "tr-4");
    EXPECT_EQ(ix["child"][0]["parent"], services::folder_id(1, ""));
    EXPECT_EQ(ix["child"][0]["isDir"], false);
    EXPECT_EQ(ix["child"][0]["contentType"], "audio/mpeg");

    XmlNode x = s.xml("getIndexes", as_alice());
    const XmlNode* xi = x.first(ns("indexes"));
    ASSERT_NE(xi, nullptr);
    EXPECT_EQ(xi->attrs.at("lastModified"), ix["lastModified"].dump());
    EXPECT_EQ(xi->attrs.at("ignoredArticles"), "The El La Los Las Le Les");
    ASSERT_EQ(xi->all(ns("index")).size(), 3u);
    const XmlNode* cure = xi->all(ns("index"))[1]->first(ns("artist"));
    ASSERT_NE(cure, nullptr);
    EXPECT_EQ(cure->attrs.at("name"), "The Cure");
    EXPECT_EQ(cure->attrs.at("id"), services::folder_id(1, "The Cure"));
    ASSERT_EQ(xi->all(ns("child")).size(), 1u);
}

TEST(SubsonicFolders, IfModifiedSinceAnswersNothingWhenNothingChanged) {
    auto& s = browse_server();
    int64_t last = s.json("getIndexes", as_alice())["indexes"]["lastModified"];
    Json same = s.json("getIndexes", as_alice() + Query{{"ifModifiedSince", std::to_string(last)}});
    ASSERT_EQ(same["status"], "ok") << same.dump();
    EXPECT_EQ(same["indexes"]["lastModified"], last);
    EXPECT_FALSE(same["indexes"].contains("index")) << same.dump();
    EXPECT_FALSE(same["indexes"].contains("child"));
    Json before =
        s.json("getIndexes", as_alice() + Query{{"ifModifiedSince", std::to_string(last - 1)}});
    EXPECT_EQ(before["indexes"]["index"].size(), 3u);
    EXPECT_EQ(code(s.json("getIndexes", as_alice() + Query{{"ifModifiedSince", "yesterday"}})), 0);
}

TEST(SubsonicFolders, MusicFolderIdNarrowsTheIndexes) {
    auto& s = browse_server();
    Json r = s.json("getIndexes", as_alice() + Query{{"musicFolderId", "2"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    ASSERT_EQ(r["indexes"]["index"].size(), 1u);
    EXPECT_EQ(r["indexes"]["index"][0]["artist"][0]["name"], "Narrator");
    EXPECT_EQ(r["indexes"]["index"][0]["artist"][0]["id"], services::folder_id(2, "Narrator"));
    EXPECT_EQ(r["indexes"]["child"], Json::array());
    EXPECT_EQ(code(s.json("getIndexes", as_alice() + Query{{"musicFolderId", "3"}})), 70);
    EXPECT_EQ(code(s.json("getIndexes", as_alice() + Query{{"musicFolderId", "x"}})), 0);
}

// From the index down to the songs, and back up through each parent.
TEST(SubsonicFolders, NavigationGoesDownToTheSongsAndBackUp) {
    auto& s = browse_server();
    std::string cure = services::folder_id(1, "The Cure");
    Json d = s.json("getMusicDirectory", as_alice() + Query{{"id", cure}});
    ASSERT_EQ(d["status"], "ok") << d.dump();
    EXPECT_EQ(d["directory"]["id"], cure);
    EXPECT_EQ(d["directory"]["name"], "The Cure");
    EXPECT_EQ(d["directory"]["parent"], services::folder_id(1, ""));
    ASSERT_EQ(d["directory"]["child"].size(), 1u);
    const Json& sub = d["directory"]["child"][0];
    EXPECT_EQ(sub["isDir"], true);
    EXPECT_EQ(sub["title"], "Disintegration");
    EXPECT_EQ(sub["parent"], cure);
    EXPECT_EQ(sub["id"], services::folder_id(1, "The Cure/Disintegration"));

    Json album = s.json("getMusicDirectory", as_alice() + Query{{"id", sub["id"]}});
    ASSERT_EQ(album["status"], "ok") << album.dump();
    const Json& songs = album["directory"]["child"];
    ASSERT_EQ(songs.size(), 2u);
    EXPECT_EQ(songs[0]["title"], "Plainsong");
    EXPECT_EQ(songs[1]["title"], "Pictures of You");
    for (const auto& song : songs) {
        EXPECT_EQ(song["isDir"], false);
        EXPECT_EQ(song["parent"], sub["id"]);
        EXPECT_TRUE(song["id"].get<std::string>().starts_with("tr-"));
        EXPECT_EQ(song["albumId"], "al-1");
    }
    EXPECT_EQ(album["directory"]["parent"], cure);

    Json root = s.json("getMusicDirectory", as_alice() + Query{{"id", services::folder_id(1, "")}});
    ASSERT_EQ(root["status"], "ok") << root.dump();
    EXPECT_EQ(root["directory"]["name"], "Music");
    EXPECT_FALSE(root["directory"].contains("parent"));
    Json kids = Json::array();
    for (const auto& c : root["directory"]["child"])
        kids.push_back(c["title"].get<std::string>() + (c["isDir"] == true ? "/" : ""));
    EXPECT_EQ(kids, Json({"Adele/", "The Cure/", "Loose"}));

    XmlNode x = s.xml("getMusicDirectory", as_alice() + Query{{"id", sub["id"]}});
    const XmlNode* xd = x.first(ns("directory"));
    ASSERT_NE(xd, nullptr);
    EXPECT_EQ(xd->attrs.at("name"), "Disintegration");
    EXPECT_EQ(xd->attrs.at("parent"), cure);
    ASSERT_EQ(xd->all(ns("child")).size(), 2u);
    EXPECT_EQ(xd->all(ns("child"))[0]->attrs.at("isDir"), "false");
    EXPECT_EQ(xd->all(ns("child"))[0]->attrs.at("suffix"), "flac");
}

TEST(SubsonicFolders, IdsThatNameNoFolderAreNotFound) {
    auto& s = browse_server();
    for (std::string id :
         {services::folder_id(1, "Nobody"), services::folder_id(1, "The Cure/.."),
          services::folder_id(1, "The Cure//Disintegration"), services::folder_id(9, ""),
          services::folder_id(1, "The Cure") + "=", std::string("fo-1"), std::string("fo-01-"),
          std::string("fo-1-!!"), std::string("ar-1"), std::string("")}) {
        Json r = s.json("getMusicDirectory", as_alice() + Query{{"id", id}});
        EXPECT_EQ(code(r), 70) << id << " " << r.dump();
    }
    EXPECT_EQ(code(s.json("getMusicDirectory", as_alice())), 10);
}

TEST(SubsonicFolders, FolderIdsRoundTrip) {
    for (std::string rel : {"", "a", "ab", "abc", "The Cure/Disintegration", "Björk/Ça va"}) {
        auto ref = services::parse_folder_id(services::folder_id(3, rel));
        ASSERT_TRUE(ref) << rel;
        EXPECT_EQ(ref->root, 3);
        EXPECT_EQ(ref->rel, rel);
    }
    EXPECT_FALSE(services::parse_folder_id(services::folder_id(1, "/abs")));
    EXPECT_FALSE(services::parse_folder_id(services::folder_id(1, "a/")));
    EXPECT_TRUE(services::parse_folder_id("fo-1-YQ"));   // "a"
    EXPECT_FALSE(services::parse_folder_id("fo-1-YR"));  // stray bits: not canonical
}

}  // namespace
}  // namespace sonique::test
