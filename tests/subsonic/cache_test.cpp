// Cached Subsonic answers: a second read comes from the cache, a write through the REST API, a
// star/rating/scrobble ("annotations") and a scan each make the next read see the change, and
// the answers go on without Redis.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "browse_support.hpp"
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "services/subsonic_folders.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

// A change the services do not see (no invalidation): what a cached answer does not show.
void behind_the_cache(SubsonicServer& s, const std::string& sql) {
    s.server().runtime().services().pool.acquire()->exec_script(sql);
}

TEST(SubsonicCache, AWriteThroughTheApiIsReadBack) {
    auto& s = browse_server();
    behind_the_cache(s, "UPDATE albums SET title = '21' WHERE id = 2");
    EXPECT_EQ(s.json("getAlbum", as_alice() + Query{{"id", "al-2"}})["album"]["name"], "21");
    behind_the_cache(s, "UPDATE albums SET title = 'Twenty' WHERE id = 2");
    // Cached: the change made behind the services' back does not show, in either format.
    EXPECT_EQ(s.json("getAlbum", as_alice() + Query{{"id", "al-2"}})["album"]["name"], "21");
    XmlNode x = s.xml("getAlbum", as_alice() + Query{{"id", "al-2"}});
    ASSERT_NE(x.first(ns("album")), nullptr);
    EXPECT_EQ(x.first(ns("album"))->attrs.at("name"), "21");
    // A write through the REST API invalidates: the next read sees it.
    auto res =
        s.server().client()->Put("/api/albums/2", R"({"title": "Twenty-One"})", "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(s.json("getAlbum", as_alice() + Query{{"id", "al-2"}})["album"]["name"],
              "Twenty-One");
    Json list = s.json("getAlbumList2", as_alice() + Query{{"type", "alphabeticalByName"}});
    bool found = false;
    for (const auto& a : list["albumList2"]["album"])
        found = found || a["name"] == "Twenty-One";
    EXPECT_TRUE(found) << list.dump();
    behind_the_cache(s, "UPDATE albums SET title = '21' WHERE id = 2");
    s.server().runtime().services().cache.invalidate({cache::ns::kLibrary});
}

TEST(SubsonicCache, AnAnnotationWriteInvalidates) {
    auto& s = browse_server();
    Json before = s.json("getArtists", as_alice());
    behind_the_cache(s, "UPDATE artists SET name = 'Adele Adkins' WHERE id = 2");
    EXPECT_EQ(s.json("getArtists", as_alice()), before);
    // What a star, a rating or a scrobble bumps (services of the user data).
    s.server().runtime().services().cache.invalidate({cache::ns::kAnnotations});
    EXPECT_NE(s.json("getArtists", as_alice()).dump().find("Adele Adkins"), std::string::npos);
    behind_the_cache(s, "UPDATE artists SET name = 'Adele' WHERE id = 2");
    s.server().runtime().services().cache.invalidate({cache::ns::kLibrary});
    EXPECT_NE(s.json("getArtists", as_alice()).dump().find("\"Adele\""), std::string::npos);
}

// Read-your-writes through the methods themselves: a cached album shows the user's star and
// rating in the next read, and loses them after unstar.
TEST(SubsonicCache, AStarAndARatingAreSeenInTheNextRead) {
    auto& s = browse_server();
    Json before = s.json("getAlbum", as_alice() + Query{{"id", "al-2"}});
    ASSERT_EQ(before["status"], "ok") << before.dump();
    EXPECT_FALSE(before["album"].contains("starred"));
    EXPECT_EQ(s.json("star", as_alice() + Query{{"albumId", "al-2"}})["status"], "ok");
    EXPECT_EQ(s.json("setRating", as_alice() + Query{{"id", "al-2"}, {"rating", "4"}})["status"],
              "ok");
    Json after = s.json("getAlbum", as_alice() + Query{{"id", "al-2"}});
    EXPECT_TRUE(after["album"].contains("starred")) << after.dump();
    EXPECT_EQ(after["album"]["userRating"], 4) << after.dump();
    EXPECT_EQ(s.json("unstar", as_alice() + Query{{"albumId", "al-2"}})["status"], "ok");
    EXPECT_EQ(s.json("setRating", as_alice() + Query{{"id", "al-2"}, {"rating", "0"}})["status"],
              "ok");
    Json again = s.json("getAlbum", as_alice() + Query{{"id", "al-2"}});
    EXPECT_FALSE(again["album"].contains("starred")) << again.dump();
    EXPECT_FALSE(again["album"].contains("userRating")) << again.dump();
}

// A star, rating or scrobble drops only its writer's cached answers: another user's cached
// answer survives (it does not show the change made behind the cache), while the writer's own
// next read shows both its write and that change (read-your-writes).
TEST(SubsonicCache, AnAnnotationDropsOnlyTheWritersAnswers) {
    auto& s = browse_server();
    const Query album{{"id", "al-2"}};
    ASSERT_EQ(s.json("getAlbum", as_admin() + album)["album"]["name"], "21");
    ASSERT_EQ(s.json("getAlbum", as_alice() + album)["album"]["name"], "21");
    ASSERT_EQ(s.json("getAlbum", as_bob() + Query{{"id", "al-3"}})["album"]["name"], "Tales");
    behind_the_cache(s,
                     "UPDATE albums SET title = 'Twenty-One' WHERE id = 2; UPDATE albums SET "
                     "title = 'Fables' WHERE id = 3");
    EXPECT_EQ(s.json("star", as_alice() + Query{{"albumId", "al-2"}})["status"], "ok");
    Json mine = s.json("getAlbum", as_alice() + album);
    EXPECT_EQ(mine["album"]["name"], "Twenty-One") << mine.dump();
    EXPECT_TRUE(mine["album"].contains("starred")) << mine.dump();
    Json theirs = s.json("getAlbum", as_admin() + album);
    EXPECT_EQ(theirs["album"]["name"], "21") << theirs.dump();
    EXPECT_FALSE(theirs["album"].contains("starred"));
    XmlNode x = s.xml("getAlbum", as_admin() + album);
    ASSERT_NE(x.first(ns("album")), nullptr);
    EXPECT_EQ(x.first(ns("album"))->attrs.at("name"), "21");
    EXPECT_EQ(s.json("getAlbum", as_bob() + Query{{"id", "al-3"}})["album"]["name"], "Tales");
    // A scrobble too: alice's play count shows at once, the others' answers stay.
    EXPECT_EQ(s.json("scrobble", as_alice() + Query{{"id", "tr-3"}})["status"], "ok");
    Json played = s.json("getAlbum", as_alice() + album);
    ASSERT_EQ(played["album"]["song"].size(), 1u) << played.dump();
    EXPECT_EQ(played["album"]["song"][0]["playCount"], 1) << played.dump();
    EXPECT_EQ(s.json("getAlbum", as_admin() + album)["album"]["name"], "21");
    EXPECT_EQ(s.json("getAlbum", as_bob() + Query{{"id", "al-3"}})["album"]["name"], "Tales");
    // The administrator's own star drops the administrator's answer.
    EXPECT_EQ(s.json("star", as_admin() + Query{{"id", "tr-3"}})["status"], "ok");
    EXPECT_EQ(s.json("getAlbum", as_admin() + album)["album"]["name"], "Twenty-One");
    EXPECT_EQ(s.json("unstar", as_admin() + Query{{"id", "tr-3"}})["status"], "ok");
    EXPECT_EQ(s.json("unstar", as_alice() + Query{{"albumId", "al-2"}})["status"], "ok");
    behind_the_cache(s,
                     "UPDATE albums SET title = '21' WHERE id = 2; UPDATE albums SET title = "
                     "'Tales' WHERE id = 3; DELETE FROM user_track_data");
    s.server().runtime().services().cache.invalidate({cache::ns::kLibrary});
}

TEST(SubsonicCache, AnswersAreKeptPerUserAndFolders) {
    auto& s = browse_server();
    ASSERT_EQ(s.json("getAlbum", as_alice() + Query{{"id", "al-1"}})["status"], "ok");
    EXPECT_EQ(s.json("getAlbum", as_bob() + Query{{"id", "al-1"}})["error"]["code"], 70);
    Json alice = s.json("getArtists", as_alice());
    Json bob = s.json("getArtists", as_bob());
    EXPECT_NE(alice["artists"]["index"].size(), bob["artists"]["index"].size());
    Json genres = s.json("getGenres", as_alice());
    EXPECT_EQ(genres["status"], "ok");
    EXPECT_TRUE(genres["genres"]["genre"].is_array());
}

// The scan's batches bump the cache: getIndexes and getMusicDirectory follow the files.
TEST(SubsonicCache, AScanInvalidates) {
    namespace fs = std::filesystem;
    fs::path root =
        fs::temp_directory_path() / ("sonique-subsonic-cache-" + std::to_string(getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "First");
    fs::path wav = fs::path(fixtures_dir()) / "odd-audio" / "alaw.wav";
    fs::copy_file(wav, root / "First" / "a.wav");
    {
        SubsonicServer s("subsonic_cache_scan", false, {root.string()});
        auto scan = [&] {
            ASSERT_EQ(s.json("startScan", as_admin())["status"], "ok");
            for (int i = 0; i < 200; ++i) {
                if (s.json("getScanStatus", as_admin())["scanStatus"]["scanning"] == false) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
        };
        auto folders = [&] {
            Json names = Json::array();
            Json r = s.json("getIndexes", as_alice());
            for (const auto& index : r["indexes"]["index"])
                for (const auto& a : index["artist"])
                    names.push_back(a["name"]);
            return names;
        };
        scan();
        EXPECT_EQ(folders(), Json({"First"}));
        std::string first = services::folder_id(1, "First");
        EXPECT_EQ(
            s.json("getMusicDirectory", as_alice() + Query{{"id", first}})["directory"]["child"]
                .size(),
            1u);
        fs::create_directories(root / "Second");
        fs::copy_file(wav, root / "Second" / "b.wav");
        fs::copy_file(wav, root / "First" / "c.wav");
        EXPECT_EQ(folders(), Json({"First"})) << "cached until a scan sees the files";
        scan();
        EXPECT_EQ(folders(), Json({"First", "Second"}));
        EXPECT_EQ(
            s.json("getMusicDirectory", as_alice() + Query{{"id", first}})["directory"]["child"]
                .size(),
            2u);
    }
    fs::remove_all(root);
}

TEST(SubsonicCache, AnswersGoOnWithoutRedis) {
    // Nothing listens on port 1: every read is built from the database.
    SubsonicServer s("subsonic_no_redis", false, {kMusicRoot}, [](Config& c) {
        c.redis_url = "redis://127.0.0.1:1/0";
        c.redis = parse_redis_url(c.redis_url);
    });
    EXPECT_EQ(s.json("getArtists", as_alice())["artists"]["index"], Json::array());
    behind_the_cache(s,
                     "INSERT INTO artists (id, name) VALUES (1, 'Solo');"
                     "INSERT INTO albums (id, title, album_artist_id) VALUES (1, 'Alone', 1);"
                     "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
                     "(1, 'One', '/srv/lib/Music/Solo/1.mp3', 1, 1);");
    Json r = s.json("getArtists", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(r["artists"]["index"][0]["artist"][0]["name"], "Solo");
    EXPECT_EQ(s.json("getAlbum", as_alice() + Query{{"id", "al-1"}})["album"]["name"], "Alone");
    EXPECT_EQ(s.json("getIndexes", as_alice())["indexes"]["index"][0]["artist"][0]["name"], "Solo");
    XmlNode x = s.xml("getAlbumList2", as_alice() + Query{{"type", "newest"}});
    ASSERT_NE(x.first(ns("albumList2")), nullptr);
    EXPECT_EQ(x.first(ns("albumList2"))->all(ns("album")).size(), 1u);
}

}  // namespace
}  // namespace sonique::test
