// A CLI scan of a folder that holds a library root (`sonique scan /music` with
// MUSIC_PATH=/music/lib) reads that root's files too, so it takes the root's lock as well: it
// waits for a running scan of the root instead of scanning the same files beside it.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "scan_http_fixture.hpp"
#include "support/instances.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(ScanLocks, ACliScanOfAFolderHoldingARootWaitsForThatRootsScan) {
    TestDatabase db("cli_lock");
    const fs::path top = fs::temp_directory_path() / ("sonique-clilock-" + unique_suffix());
    const std::string lib = (top / "lib").string();
    fs::create_directories(lib);
    std::ofstream(lib + "/x.mp3") << "not audio";
    std::ofstream((top / "y.mp3").string()) << "not audio either";

    auto other = std::make_unique<OtherProcessScan>(db.url(), lib, lib, "lib-elsewhere");
    const std::string cmd = "DATABASE_URL='" + db.url() + "' REDIS_URL=none MUSIC_PATH='" + lib +
                            "' LOG_LEVEL=info " + SONIQUE_BINARY_DIR + "/app/sonique scan '" +
                            top.string() + "' 2>&1";
    auto cli = std::async(std::launch::async, [&] { return run_command(cmd); });
    EXPECT_EQ(cli.wait_for(3s), std::future_status::timeout) << "scanned beside the root's scan";
    other->end();
    ASSERT_EQ(cli.wait_for(120s), std::future_status::ready);
    std::string out = cli.get();
    EXPECT_NE(out.find("waiting for the running scan of its root"), std::string::npos) << out;
    EXPECT_NE(out.find("2 files"), std::string::npos) << out;
    other.reset();
    fs::remove_all(top);
}

}  // namespace
}  // namespace sonique::test
