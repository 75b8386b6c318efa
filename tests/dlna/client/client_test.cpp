// A real UPnP client (tests/dlna/client/crawl.py, async-upnp-client from the venv that
// scripts/test.sh makes) against the /dlna routes on loopback: description and SCPDs, every
// container to its end, searches, a track's res fetched with a Range.
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/json.hpp"
#include "dlna/dlna_fixture.hpp"

namespace sonique::test {
namespace {

std::string client_python() {
    const char* venv = std::getenv("SONIQUE_CLIENT_VENV");
    std::string dir = venv && *venv ? venv : repo_dir() + "/var/py-client";
    std::string python = dir + "/bin/python";
    if (!std::filesystem::exists(python))
        throw std::runtime_error("no Python client venv at " + dir +
                                 ": run scripts/test.sh once without SKIP_DEPS (it creates it)");
    return python;
}

TEST(DlnaClient, AsyncUpnpClientCrawlsSearchesAndStreams) {
    DlnaWorld world;
    std::string out = run_command(
        shell_quote(client_python()) + " " + shell_quote(SONIQUE_DLNA_CLIENT_SCRIPT) + " " +
        shell_quote("http://127.0.0.1:" + std::to_string(world.port()) + "/dlna/description.xml") +
        " " + shell_quote((world.root() / "Ben Keys" / "Night Shift" / "01 Moon.mp3").string()));
    Json r = Json::parse(out, nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << out;
    EXPECT_EQ(r["friendly_name"], "Sonique on <test & co>");
    EXPECT_EQ(r["system_update_id"], 7);
    EXPECT_EQ(r["top"], Json({"Artists", "Album Artists", "Albums", "Genres", "Folders",
                              "Playlists", "All Tracks", "Recently Added"}));
    EXPECT_EQ(r["titles"], Json({"Dawn", "Moon", "Noon", "Tide \"Low\" & <High>"}));
    // 7 ways down to the 4 tracks (Playlists is empty).
    EXPECT_EQ(r["items"], 28);
    EXPECT_GT(r["containers"].get<int>(), 20);
    EXPECT_EQ(r["search_artist"], Json({"Moon"}));
    EXPECT_EQ(r["search_title"], Json({"Moon", "Noon"}));
    EXPECT_TRUE(
        r["protocol_info"].get<std::string>().starts_with("http-get:*:audio/mpeg:DLNA.ORG_PN=MP3"));
    EXPECT_EQ(r["duration"], "0:00:05.000");
    EXPECT_EQ(r["range_status"], 206);
    EXPECT_EQ(r["range_bytes"], 512);
    EXPECT_NE(r["content_features"].get<std::string>().find("DLNA.ORG_OP=01"), std::string::npos);
}

}  // namespace
}  // namespace sonique::test
