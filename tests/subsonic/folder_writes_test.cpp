// Writes keep to the user's music folders as reads do: a song, album or artist outside them is
// error 70 to star, unstar, setRating, scrobble, bookmarks, play queue saves and playlist
// changes, and nothing is written. Public playlists and an album whose songs lie in two roots
// show a restricted user only its songs, counted as shown. Real files in two roots, so that
// only the folder check can refuse.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "db/pool.hpp"
#include "media_tools.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDave = "dave";
constexpr const char* kDavePassword = "dave's secret";

Query as_dave() {
    return {{"u", kDave}, {"p", kDavePassword}};
}

int code(const Json& r) {
    return r.contains("error") ? r["error"].value("code", -1) : -1;
}

// Two roots, "one" and "two": each an album of its own (Song_one, Song_two, by Artist_one and
// Artist_two; only Album_two has a cover) and one song of the album "Shared" by "Both" (Shared_one
// lasts 3 s, Shared_two 2 s), which the scan makes one album across the roots. dave sees only root
// two.
class SubsonicFolderWrites : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-folder-writes-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        for (std::string root : {"one", "two"}) {
            auto make = [&](const fs::path& folder, const std::string& title,
                            const std::string& artist, const std::string& album, int seconds) {
                fs::create_directories(folder);
                run_tool("ffmpeg -v error -nostdin -f lavfi -i sine=frequency=440:duration=" +
                         std::to_string(seconds) + " -metadata title=" + title +
                         " -metadata artist=" + artist + " -metadata album_artist=" + artist +
                         " -metadata album=" + album + " -c:a flac " +
                         (folder / (title + ".flac")).string());
            };
            make(dir_ / root / "Own", "Song_" + root, "Artist_" + root, "Album_" + root, 2);
            make(dir_ / root / "Shared", "Shared_" + root, "Both", "Shared", root == "one" ? 3 : 2);
        }
        // Only Album_two has a cover (a folder image).
        run_tool("ffmpeg -v error -nostdin -f lavfi -i color=c=red:s=400x400 -frames:v 1 " +
                 (dir_ / "two" / "Own" / "cover.jpg").string());
        server_ = new SubsonicServer("subsonic_folder_writes", false,
                                     {(dir_ / "one").string(), (dir_ / "two").string()});
        scan_and_wait(*server_);
        Json songs =
            server_->json("search3", as_admin() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 4u) << songs.dump();
        for (const auto& s : songs) {
            std::string title = s["title"];
            ids_[title] = s["id"];
            ids_["album:" + title] = s["albumId"];
            ids_["artist:" + title] = s["artistId"];
        }
        ASSERT_EQ(ids_["album:Shared_one"], ids_["album:Shared_two"]);
        Json created = server_->json("createUser", as_admin() + Query{{"username", kDave},
                                                                      {"password", kDavePassword},
                                                                      {"email", "dave@example.org"},
                                                                      {"scrobblingRole", "true"},
                                                                      {"playlistRole", "true"},
                                                                      {"musicFolderId", "2"}});
        ASSERT_EQ(created["status"], "ok") << created.dump();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        fs::remove_all(dir_);
    }

    // How many rows of dave's a table holds (the writes refused must leave none).
    static int64_t rows_of_dave(const std::string& table) {
        auto conn = server_->server().runtime().services().pool.acquire();
        return conn
            ->exec("SELECT count(*) FROM " + table +
                   " WHERE user_id = (SELECT id FROM users WHERE name = 'dave')")
            .int64(0, 0);
    }

    static std::string id(const std::string& name) { return ids_.at(name); }

    static inline fs::path dir_;
    static inline SubsonicServer* server_ = nullptr;
    static inline std::map<std::string, std::string> ids_;
};

TEST_F(SubsonicFolderWrites, AnnotationsOutsideTheFoldersAreNotFound) {
    const std::vector<std::pair<std::string, Query>> refused = {
        {"star", {{"id", id("Song_one")}}},
        {"star", {{"albumId", id("album:Song_one")}}},
        {"star", {{"artistId", id("artist:Song_one")}}},
        {"star", {{"id", id("album:Song_one")}}},
        // All or nothing: one visible song with one outside stars neither.
        {"star", {{"id", id("Song_two")}, {"id", id("Song_one")}}},
        {"unstar", {{"id", id("Song_one")}}},
        {"unstar", {{"albumId", id("album:Song_one")}}},
        {"setRating", {{"id", id("Song_one")}, {"rating", "3"}}},
        {"setRating", {{"id", id("album:Song_one")}, {"rating", "3"}}},
        {"setRating", {{"id", id("artist:Song_one")}, {"rating", "3"}}},
        {"scrobble", {{"id", id("Song_one")}}},
        {"scrobble", {{"id", id("Song_two")}, {"id", id("Song_one")}}},
        {"scrobble", {{"id", id("Song_one")}, {"submission", "false"}}},
    };
    for (const auto& [method, q] : refused) {
        Json r = server_->json(method, as_dave() + q);
        EXPECT_EQ(code(r), 70) << method << " " << encode_query(q) << " " << r.dump();
        XmlNode x = server_->xml(method, as_dave() + q);
        EXPECT_EQ(x.attrs["status"], "failed") << method;
        const XmlNode* error = x.first(ns("error"));
        ASSERT_NE(error, nullptr) << method;
        EXPECT_EQ(error->attrs.at("code"), "70") << method;
    }
    for (const char* table :
         {"user_track_data", "user_album_data", "user_artist_data", "now_playing"})
        EXPECT_EQ(rows_of_dave(table), 0) << table;
    // The same writes inside the folders are answered; the album across both roots is inside.
    const std::vector<std::pair<std::string, Query>> allowed = {
        {"star", {{"id", id("Song_two")}}},
        {"star", {{"albumId", id("album:Shared_two")}}},
        {"star", {{"artistId", id("artist:Song_two")}}},
        {"setRating", {{"id", id("album:Shared_two")}, {"rating", "4"}}},
        {"scrobble", {{"id", id("Song_two")}}},
        {"scrobble", {{"id", id("Song_two")}, {"submission", "false"}}},
        {"unstar", {{"id", id("Song_two")}}},
    };
    for (const auto& [method, q] : allowed) {
        Json r = server_->json(method, as_dave() + q);
        EXPECT_EQ(r["status"], "ok") << method << " " << r.dump();
    }
    EXPECT_EQ(rows_of_dave("user_track_data"), 1);
    EXPECT_EQ(rows_of_dave("now_playing"), 1);
    // The administrator sees every root: its writes on the first root are answered.
    EXPECT_EQ(server_->json("star", as_admin() + Query{{"id", id("Song_one")}})["status"], "ok");
    EXPECT_EQ(server_->json("unstar", as_admin() + Query{{"id", id("Song_one")}})["status"], "ok");
}

TEST_F(SubsonicFolderWrites, QueueAndBookmarksOutsideTheFoldersAreNotFound) {
    const std::vector<std::pair<std::string, Query>> refused = {
        {"createBookmark", {{"id", id("Song_one")}, {"position", "1000"}}},
        {"savePlayQueue",
         {{"id", id("Song_two")}, {"id", id("Song_one")}, {"current", id("Song_two")}}},
        {"savePlayQueueByIndex", {{"id", id("Song_one")}, {"currentIndex", "0"}}},
    };
    for (const auto& [method, q] : refused) {
        EXPECT_EQ(code(server_->json(method, as_dave() + q)), 70) << method;
        XmlNode x = server_->xml(method, as_dave() + q);
        const XmlNode* error = x.first(ns("error"));
        ASSERT_NE(error, nullptr) << method;
        EXPECT_EQ(error->attrs.at("code"), "70") << method;
    }
    EXPECT_EQ(rows_of_dave("bookmarks"), 0);
    EXPECT_EQ(rows_of_dave("user_play_queues"), 0);
    EXPECT_EQ(server_->json("createBookmark", as_dave() + Query{{"id", id("Song_two")},
                                                                {"position", "1000"}})["status"],
              "ok");
    Json queue = server_->json("savePlayQueue", as_dave() + Query{{"id", id("Shared_two")},
                                                                  {"id", id("Song_two")},
                                                                  {"current", id("Song_two")}});
    EXPECT_EQ(queue["status"], "ok") << queue.dump();
    Json read = server_->json("getPlayQueue", as_dave());
    ASSERT_EQ(read["playQueue"]["entry"].size(), 2u) << read.dump();
    EXPECT_EQ(read["playQueue"]["current"], id("Song_two"));
    Json marks = server_->json("getBookmarks", as_dave());
    ASSERT_EQ(marks["bookmarks"]["bookmark"].size(), 1u) << marks.dump();
    EXPECT_EQ(marks["bookmarks"]["bookmark"][0]["entry"]["id"], id("Song_two"));
}

TEST_F(SubsonicFolderWrites, PlaylistsTakeAndShowOnlyTheUsersSongs) {
    // dave cannot add a song outside his folders, neither at creation nor later.
    EXPECT_EQ(code(server_->json("createPlaylist",
                                 as_dave() + Query{{"name", "Mine"}, {"songId", id("Song_one")}})),
              70);
    Json mine = server_->json("createPlaylist",
                              as_dave() + Query{{"name", "Mine"}, {"songId", id("Song_two")}});
    ASSERT_EQ(mine["status"], "ok") << mine.dump();
    std::string mine_id = mine["playlist"]["id"];
    EXPECT_EQ(
        code(server_->json("updatePlaylist", as_dave() + Query{{"playlistId", mine_id},
                                                               {"songIdToAdd", id("Song_one")}})),
        70);
    EXPECT_EQ(code(server_->json("createPlaylist", as_dave() + Query{{"playlistId", mine_id},
                                                                     {"songId", id("Song_one")}})),
              70);
    // The administrator's public playlist of every song: dave sees his two, counted as shown.
    Json all = server_->json("createPlaylist", as_admin() + Query{{"name", "Everything"},
                                                                  {"songId", id("Song_one")},
                                                                  {"songId", id("Song_two")},
                                                                  {"songId", id("Shared_one")},
                                                                  {"songId", id("Shared_two")}});
    ASSERT_EQ(all["status"], "ok") << all.dump();
    std::string all_id = all["playlist"]["id"];
    ASSERT_EQ(server_->json("updatePlaylist", as_admin() + Query{{"playlistId", all_id},
                                                                 {"public", "true"}})["status"],
              "ok");
    Json seen = server_->json("getPlaylist", as_dave() + Query{{"id", all_id}})["playlist"];
    ASSERT_EQ(seen["entry"].size(), 2u) << seen.dump();
    EXPECT_EQ(seen["entry"][0]["id"], id("Song_two"));
    EXPECT_EQ(seen["entry"][1]["id"], id("Shared_two"));
    EXPECT_EQ(seen["songCount"], 2);
    int64_t duration = 0;
    for (const auto& e : seen["entry"])
        duration += e["duration"].get<int64_t>();
    EXPECT_EQ(seen["duration"], duration);
    Json full = server_->json("getPlaylist", as_admin() + Query{{"id", all_id}})["playlist"];
    EXPECT_EQ(full["entry"].size(), 4u);
    EXPECT_EQ(full["songCount"], 4);
    EXPECT_GT(full["duration"].get<int64_t>(), duration);
    bool listed = false;
    Json lists = server_->json("getPlaylists", as_dave());
    for (const auto& p : lists["playlists"]["playlist"])
        if (p["id"] == all_id) {
            listed = true;
            EXPECT_EQ(p["songCount"], 2);
            EXPECT_EQ(p["duration"], duration);
        }
    EXPECT_TRUE(listed);
    XmlNode x = server_->xml("getPlaylist", as_dave() + Query{{"id", all_id}});
    const XmlNode* playlist = x.first(ns("playlist"));
    ASSERT_NE(playlist, nullptr);
    EXPECT_EQ(playlist->attrs.at("songCount"), "2");
    EXPECT_EQ(playlist->all(ns("entry")).size(), 2u);
    // An entry dave cannot see (the administrator added it to his playlist) takes no index:
    // index 0 is the first song he sees.
    ASSERT_EQ(
        server_->json("createPlaylist", as_admin() + Query{{"playlistId", mine_id},
                                                           {"songId", id("Song_one")},
                                                           {"songId", id("Song_two")},
                                                           {"songId", id("Shared_two")}})["status"],
        "ok");
    EXPECT_EQ(
        server_->json("updatePlaylist", as_dave() + Query{{"playlistId", mine_id},
                                                          {"songIndexToRemove", "0"}})["status"],
        "ok");
    EXPECT_EQ(code(server_->json("updatePlaylist", as_dave() + Query{{"playlistId", mine_id},
                                                                     {"songIndexToRemove", "1"}})),
              0);
    Json left = server_->json("getPlaylist", as_admin() + Query{{"id", mine_id}})["playlist"];
    ASSERT_EQ(left["entry"].size(), 2u) << left.dump();
    EXPECT_EQ(left["entry"][0]["id"], id("Song_one"));
    EXPECT_EQ(left["entry"][1]["id"], id("Shared_two"));
}

// A playlist's coverArt is the cover of its first song the user sees: none for the
// administrator (Song_one's album has no cover), Album_two's for dave, who does not see Song_one.
TEST_F(SubsonicFolderWrites, APlaylistsCoverIsItsFirstVisibleSongsCover) {
    Json made = server_->json("createPlaylist", as_admin() + Query{{"name", "Covers"},
                                                                   {"songId", id("Song_one")},
                                                                   {"songId", id("Song_two")}});
    ASSERT_EQ(made["status"], "ok") << made.dump();
    std::string pl = made["playlist"]["id"];
    ASSERT_EQ(server_->json("updatePlaylist",
                            as_admin() + Query{{"playlistId", pl}, {"public", "true"}})["status"],
              "ok");
    EXPECT_FALSE(made["playlist"].contains("coverArt")) << made.dump();
    Json seen = server_->json("getPlaylist", as_dave() + Query{{"id", pl}})["playlist"];
    EXPECT_EQ(seen["coverArt"], id("album:Song_two")) << seen.dump();
    EXPECT_EQ(seen["coverArt"], seen["entry"][0]["coverArt"]);
    Json lists = server_->json("getPlaylists", as_dave());
    bool listed = false;
    for (const auto& p : lists["playlists"]["playlist"])
        if (p["id"] == pl) listed = p.value("coverArt", std::string()) == id("album:Song_two");
    EXPECT_TRUE(listed) << lists.dump();
    XmlNode x = server_->xml("getPlaylist", as_dave() + Query{{"id", pl}});
    ASSERT_NE(x.first(ns("playlist")), nullptr);
    EXPECT_EQ(x.first(ns("playlist"))->attrs.at("coverArt"), id("album:Song_two"));
    // The id is one getCoverArt serves.
    auto image = server_->get("getCoverArt", as_admin() + Query{{"id", id("album:Song_two")}});
    ASSERT_TRUE(image);
    EXPECT_EQ(image->get_header_value("Content-Type").rfind("image/", 0), 0u);
}

TEST_F(SubsonicFolderWrites, AnAlbumAcrossTwoRootsShowsTheUsersSongs) {
    std::string shared = id("album:Shared_two");
    Json album = server_->json("getAlbum", as_dave() + Query{{"id", shared}})["album"];
    ASSERT_EQ(album["song"].size(), 1u) << album.dump();
    EXPECT_EQ(album["song"][0]["id"], id("Shared_two"));
    EXPECT_EQ(album["songCount"], 1);
    EXPECT_EQ(album["duration"], album["song"][0]["duration"]);
    Json whole = server_->json("getAlbum", as_admin() + Query{{"id", shared}})["album"];
    EXPECT_EQ(whole["song"].size(), 2u);
    EXPECT_EQ(whole["songCount"], 2);
    XmlNode x = server_->xml("getAlbum", as_dave() + Query{{"id", shared}});
    const XmlNode* xml_album = x.first(ns("album"));
    ASSERT_NE(xml_album, nullptr);
    EXPECT_EQ(xml_album->attrs.at("songCount"), "1");
    EXPECT_EQ(xml_album->all(ns("song")).size(), 1u);
    // The lists count the same songs.
    bool listed = false;
    Json list = server_->json("getAlbumList2", as_dave() + Query{{"type", "newest"}});
    for (const auto& a : list["albumList2"]["album"])
        if (a["id"] == shared) {
            listed = true;
            EXPECT_EQ(a["songCount"], 1);
            EXPECT_EQ(a["duration"], album["duration"]);
        }
    EXPECT_TRUE(listed);
    Json found = server_->json("search3", as_dave() + Query{{"query", "Shared"}});
    ASSERT_EQ(found["searchResult3"]["album"].size(), 1u) << found.dump();
    EXPECT_EQ(found["searchResult3"]["album"][0]["songCount"], 1);
}

}  // namespace
}  // namespace sonique::test
