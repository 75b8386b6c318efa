// The library's .m3u/.m3u8 files become read-only playlists after each scan: relative and
// absolute entries, missing files and paths outside the roots ignored, CRLF, a BOM, Latin-1,
// and a removed file's playlist removed by the next scan.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "db/pool.hpp"
#include "subsonic_support.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

int error_code_of(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

// Starts a scan and waits (at most 20 s) until `done` holds for the playlists alice sees: the
// playlist files are imported after the scan's end is recorded.
Json scan_until(SubsonicServer& s, const std::function<bool(const Json&)>& done) {
    Json started = s.json("startScan", as_admin());
    if (error_code_of(started) == 50)  // the test demoted Admin: Admin2 starts it
        started = s.json("startScan", Query{{"u", "Admin2"}, {"p", "admin2-pass"}});
    EXPECT_EQ(started["status"], "ok") << started.dump();
    Json lists;
    for (int i = 0; i < 400; ++i) {
        lists = s.json("getPlaylists", as_alice())["playlists"]["playlist"];
        if (done(lists) && s.json("getScanStatus", as_alice())["scanStatus"]["scanning"] == false)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return lists;
}

Json named(const Json& lists, const std::string& name) {
    for (const auto& p : lists)
        if (p["name"] == name) return p;
    return Json();
}

std::vector<std::string> entry_ids(SubsonicServer& s, const std::string& id) {
    std::vector<std::string> out;
    Json r = s.json("getPlaylist", as_alice() + Query{{"id", id}});
    EXPECT_EQ(r["status"], "ok") << r.dump();
    for (const auto& e : r["playlist"]["entry"])
        out.push_back(e["id"].get<std::string>());
    return out;
}

TEST(SubsonicPlaylistFiles, LibraryPlaylistFilesBecomeReadOnlyPlaylists) {
    fs::path base = fs::temp_directory_path() / ("sonique-m3u-" + std::to_string(getpid()));
    fs::remove_all(base);
    fs::path root = base / "lib", outside = base / "outside", root2 = base / "lib2";
    fs::create_directories(root / "Artist");
    fs::create_directories(root / "lists");
    fs::create_directories(outside);
    fs::path wav = fs::path(fixtures_dir()) / "odd-audio" / "alaw.wav";
    for (const char* name : {"a.wav", "b.wav", "c.wav", "Caf\xc3\xa9.wav"})
        fs::copy_file(wav, root / "Artist" / name);
    fs::copy_file(wav, outside / "x.wav");
    // Relative, absolute, missing, outside the roots (absolute and climbing out), a system file,
    // a URL, #EXTINF lines, CRLF line ends.
    write(root / "lists" / "Mix.m3u",
          "#EXTM3U\r\n#EXTINF:1,A\r\n../Artist/a.wav\r\n" + (root / "Artist" / "c.wav").string() +
              "\r\nmissing.wav\r\n" + (outside / "x.wav").string() +
              "\r\n../../outside/x.wav\r\n/etc/passwd\r\nhttp://radio.example.org/x\r\n\r\n"
              "  ../Artist/b.wav  \r\n../Artist/a.wav\r\n");
    // UTF-8 with a BOM; the same name in Latin-1.
    write(root / "lists" / "Utf8.m3u8", "\xEF\xBB\xBF../Artist/Caf\xC3\xA9.wav\n");
    write(root / "lists" / "Latin1.m3u", "../Artist/Caf\xE9.wav\n");
    // A second root whose list names a file of the first.
    fs::create_directories(root2);
    write(root2 / "Keep.m3u", "../lib/Artist/b.wav\n");
    {
        SubsonicServer s("subsonic_m3u", false, {root.string(), root2.string()});
        auto rows = s.server().runtime().services().pool.acquire();
        // Each root is scanned on its own and each scan's end imports: wait for the import that
        // followed the last one.
        auto imported = [](const Json& l) {
            return l.size() == 4 && named(l, "Mix")["songCount"] == 4 &&
                   named(l, "Utf8")["songCount"] == 1 && named(l, "Latin1")["songCount"] == 1 &&
                   named(l, "Keep")["songCount"] == 1;
        };
        Json lists = scan_until(s, imported);
        ASSERT_EQ(lists.size(), 4u) << lists.dump();
        std::map<std::string, std::string> ids;  // file name -> song id
        auto tracks = rows->exec("SELECT id, path FROM tracks");
        for (int i = 0; i < tracks.rows(); ++i)
            ids[fs::path(tracks.str(i, 1)).filename().string()] = "tr-" + tracks.str(i, 0);
        ASSERT_EQ(ids.size(), 4u) << "the file outside the root is not scanned";

        Json mix = named(lists, "Mix");
        ASSERT_FALSE(mix.is_null()) << lists.dump();
        EXPECT_EQ(mix["owner"], kAdminName);
        EXPECT_EQ(mix["public"], true);
        EXPECT_EQ(mix["readonly"], true);
        EXPECT_EQ(mix["songCount"], 4);
        EXPECT_EQ(entry_ids(s, mix["id"]), (std::vector<std::string>{ids["a.wav"], ids["c.wav"],
                                                                     ids["b.wav"], ids["a.wav"]}));
        std::string cafe = ids["Caf\xc3\xa9.wav"];
        EXPECT_EQ(entry_ids(s, named(lists, "Utf8")["id"]), std::vector<std::string>{cafe});
        EXPECT_EQ(entry_ids(s, named(lists, "Latin1")["id"]), std::vector<std::string>{cafe});
        // Read-only, for administrators too (even their owner).
        std::string id = mix["id"];
        EXPECT_TRUE(s.json("getPlaylists", as_admin())["playlists"]["playlist"][0]["readonly"]);
        EXPECT_EQ(
            code(s.json("updatePlaylist", as_admin() + Query{{"playlistId", id}, {"name", "x"}})),
            50);
        EXPECT_EQ(code(s.json("createPlaylist", as_admin() + Query{{"playlistId", id}})), 50);
        EXPECT_EQ(code(s.json("deletePlaylist", as_admin() + Query{{"id", id}})), 50);
        EXPECT_EQ(entry_ids(s, id).size(), 4u);

        std::string keep = named(lists, "Keep")["id"];
        EXPECT_EQ(entry_ids(s, keep), std::vector<std::string>{ids["b.wav"]});

        // The file removed, another changed: the next scan follows; the kept playlist keeps its
        // id. The second root gone (an unmounted disk): its playlist is kept.
        std::string latin1 = named(lists, "Latin1")["id"];
        fs::rename(root2, base / "lib2.away");
        fs::remove(root / "lists" / "Mix.m3u");
        write(root / "lists" / "Latin1.m3u", "../Artist/Caf\xE9.wav\r\n../Artist/b.wav\r\n");
        lists = scan_until(s, [&](const Json& l) {
            return l.size() == 3 && named(l, "Latin1")["songCount"] == 2;
        });
        ASSERT_EQ(lists.size(), 3u) << lists.dump();
        EXPECT_EQ(named(lists, "Keep")["id"], keep);
        EXPECT_TRUE(named(lists, "Mix").is_null());
        EXPECT_EQ(named(lists, "Latin1")["id"], latin1);
        EXPECT_EQ(entry_ids(s, latin1), (std::vector<std::string>{cafe, ids["b.wav"]}));
        EXPECT_EQ(code(s.json("getPlaylist", as_alice() + Query{{"id", id}})), 70);

        // The first administrator demoted: the next import gives the playlists to the new first
        // administrator, under the same ids.
        services::UserRoles admin{true, true, true, true, true, true, true};
        s.users().create("Admin2", "admin2-pass", "", admin);
        services::UserUpdate demote;
        demote.admin = false;
        ASSERT_TRUE(s.users().update(kAdminName, demote));
        lists =
            scan_until(s, [&](const Json& l) { return named(l, "Latin1")["owner"] == "Admin2"; });
        EXPECT_EQ(named(lists, "Latin1")["owner"], "Admin2") << lists.dump();
        EXPECT_EQ(named(lists, "Latin1")["id"], latin1);
        EXPECT_EQ(named(lists, "Keep")["owner"], "Admin2");
    }
    fs::remove_all(base);
}

}  // namespace
}  // namespace sonique::test
