// stream, download and getCoverArt keep to the user's music folders: a user restricted to one
// root gets 70 for a song or a cover of the other root, with real files in both (so that only
// the folder check can refuse them), and gets those of its own root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "media_tools.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCarol = "carol";
constexpr const char* kCarolPassword = "carol's secret";

Query as_carol() {
    return {{"u", kCarol}, {"p", kCarolPassword}};
}

// A server of its own with two roots ("one" and "two"), each an album of one FLAC with a
// folder cover, scanned; carol sees only the second root (music folder 2).
class SubsonicFolderMedia : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-folder-media-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        for (const char* root : {"one", "two"}) {
            fs::path album = dir_ / root / "Artist" / (std::string("Album_") + root);
            fs::create_directories(album);
            run_tool(
                "ffmpeg -v error -nostdin -f lavfi -i sine=frequency=440:duration=2 "
                "-metadata title=Song_" +
                std::string(root) + " -metadata artist=Artist_" + root + " -metadata album=Album_" +
                root + " -c:a flac " + (album / "song.flac").string());
            run_tool("ffmpeg -v error -nostdin -f lavfi -i color=c=red:s=400x400 -frames:v 1 " +
                     (album / "cover.jpg").string());
        }
        server_ = new SubsonicServer("subsonic_folder_media", false,
                                     {(dir_ / "one").string(), (dir_ / "two").string()});
        scan_and_wait(*server_);
        Json songs =
            server_->json("search3", as_admin() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 2u) << songs.dump();
        for (const auto& s : songs) {
            bool first = s["title"] == "Song_one";
            (first ? song_one_ : song_two_) = s["id"].get<std::string>();
            (first ? album_one_ : album_two_) = s["albumId"].get<std::string>();
        }
        Json created =
            server_->json("createUser", as_admin() + Query{{"username", kCarol},
                                                           {"password", kCarolPassword},
                                                           {"email", "carol@example.org"},
                                                           {"streamRole", "true"},
                                                           {"downloadRole", "true"},
                                                           {"coverArtRole", "true"},
                                                           {"musicFolderId", "2"}});
        ASSERT_EQ(created["status"], "ok") << created.dump();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        fs::remove_all(dir_);
    }

    // The Subsonic error code of an answer that should be an error (-1 when it is not one).
    static int error_code(const httplib::Result& r) {
        if (!r || r->get_header_value("Content-Type").find("json") == std::string::npos) return -1;
        Json j = Json::parse(r->body, nullptr, false);
        if (j.is_discarded()) return -1;
        return j["subsonic-response"]["error"].value("code", -1);
    }

    static inline fs::path dir_;
    static inline SubsonicServer* server_ = nullptr;
    static inline std::string song_one_, song_two_, album_one_, album_two_;
};

TEST_F(SubsonicFolderMedia, StreamAndDownloadKeepToTheUsersFolders) {
    for (const char* method : {"stream", "download"}) {
        auto outside = server_->get(method, as_carol() + Query{{"id", song_one_}, {"f", "json"}});
        EXPECT_EQ(error_code(outside), 70) << method;
        auto inside = server_->get(method, as_carol() + Query{{"id", song_two_}, {"f", "json"}});
        ASSERT_TRUE(inside) << method;
        EXPECT_EQ(inside->status, 200) << method;
        EXPECT_EQ(inside->body.substr(0, 4), "fLaC") << method;
        // A user without restriction reaches both.
        auto alice = server_->get(method, as_admin() + Query{{"id", song_one_}, {"f", "json"}});
        ASSERT_TRUE(alice) << method;
        EXPECT_EQ(alice->body.substr(0, 4), "fLaC") << method;
    }
}

TEST_F(SubsonicFolderMedia, CoversKeepToTheUsersFolders) {
    for (const std::string& id : {album_one_, song_one_}) {
        auto outside = server_->get("getCoverArt", as_carol() + Query{{"id", id}, {"f", "json"}});
        EXPECT_EQ(error_code(outside), 70) << id;
        auto admin = server_->get("getCoverArt", as_admin() + Query{{"id", id}, {"f", "json"}});
        ASSERT_TRUE(admin) << id;
        EXPECT_EQ(admin->get_header_value("Content-Type").rfind("image/", 0), 0u) << id;
    }
    auto inside = server_->get("getCoverArt", as_carol() + Query{{"id", album_two_}});
    ASSERT_TRUE(inside);
    EXPECT_EQ(inside->status, 200);
    EXPECT_EQ(inside->get_header_value("Content-Type").rfind("image/", 0), 0u);
}

}  // namespace
}  // namespace sonique::test
