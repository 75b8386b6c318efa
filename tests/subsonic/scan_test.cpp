// getScanStatus and startScan: the status's types in both formats, the administrator's role, and
// a scan that runs to its end through the Subsonic API.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "subsonic_support.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

TEST(SubsonicScan, StatusHasTheSpecTypes) {
    auto& s = shared_server();
    Json r = s.json("getScanStatus", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(r["scanStatus"]["scanning"], false);
    EXPECT_TRUE(r["scanStatus"]["count"].is_number_integer()) << r.dump();
    XmlNode x = s.xml("getScanStatus", as_alice());
    const XmlNode* st = x.first(ns("scanStatus"));
    ASSERT_NE(st, nullptr);
    EXPECT_EQ(st->attrs.at("scanning"), "false");
    EXPECT_EQ(st->attrs.at("count"), r["scanStatus"]["count"].dump());
}

TEST(SubsonicScan, OnlyAdministratorsStartScans) {
    auto& s = shared_server();
    EXPECT_EQ(code(s.json("startScan", as_alice())), 50);
    // The shared server's roots do not exist: no scan starts, the answer says why.
    Json r = s.json("startScan", as_admin());
    EXPECT_EQ(code(r), 0) << r.dump();
    EXPECT_NE(r["error"]["message"].get<std::string>().find("/srv/music/Rock"), std::string::npos);
    XmlNode x = s.xml("startScan", as_admin());
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "0");
}

// The status while scanning, then at the end, until `scanning` is false (at most 10 s).
Json wait_for_scan(SubsonicServer& s) {
    Json st;
    for (int i = 0; i < 200; ++i) {
        st = s.json("getScanStatus", as_admin())["scanStatus"];
        if (st["scanning"] == false) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return st;
}

// A server of its own whose roots are a folder with one real file and a missing folder (skipped).
TEST(SubsonicScan, StartScanScansTheReadableRoots) {
    namespace fs = std::filesystem;
    fs::path root =
        fs::temp_directory_path() / ("sonique-subsonic-scan-" + std::to_string(getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "Artist");
    fs::copy_file(fs::path(fixtures_dir()) / "odd-audio" / "alaw.wav", root / "Artist" / "a.wav");
    {
        SubsonicServer s("subsonic_scan", false, {root.string(), "/srv/missing-root"});
        EXPECT_EQ(s.json("getScanStatus", as_admin())["scanStatus"]["count"], 0);
        Json r = s.json("startScan", as_admin());
        ASSERT_EQ(r["status"], "ok") << r.dump();
        EXPECT_TRUE(r["scanStatus"]["scanning"].is_boolean());
        EXPECT_TRUE(r["scanStatus"]["count"].is_number_integer());
        Json st = wait_for_scan(s);
        EXPECT_EQ(st["scanning"], false) << st.dump();
        EXPECT_EQ(st["count"], 1) << "the library's tracks once the scan is over";
        Json songs = s.json("search3", as_alice() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 1u) << songs.dump();
        EXPECT_EQ(songs[0]["suffix"], "wav");
    }
    fs::remove_all(root);
}

}  // namespace
}  // namespace sonique::test
