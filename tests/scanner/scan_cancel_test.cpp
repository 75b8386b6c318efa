// A cancelled scan stops within a fraction of a second even while a file hangs the tag reader,
// and removes nothing.
#include <future>

#include "scan_fixture.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono;

class ScanCancel : public ScanFixture {};

TEST_F(ScanCancel, HangingFileDoesNotDelayTheCancel) {
    for (int i = 0; i < 10; ++i)
        file("Keep/" + std::to_string(i) + ".mp3", "title=K" + std::to_string(i) + "\nartist=A");
    scan();
    fs::remove_all(root_ / "Keep");  // would be removed by a scan that ran to its end
    file("Now/hang.mp3", "hang");
    for (int i = 0; i < 40; ++i)
        file("Now/" + std::to_string(i) + ".mp3", "slow\ntitle=N" + std::to_string(i));

    std::atomic<bool> cancel{false};
    ScanOptions o;
    o.file_timeout = seconds(60);
    o.cancel = &cancel;
    auto running = std::async(std::launch::async, [&] { return scan(o); });
    std::this_thread::sleep_for(milliseconds(800));  // hang.mp3 is in a worker by now
    ASSERT_EQ(running.wait_for(milliseconds(0)), std::future_status::timeout);
    auto asked = steady_clock::now();
    cancel = true;
    ASSERT_EQ(running.wait_for(seconds(3)), std::future_status::ready)
        << "the scan did not stop within 3 s of the cancel";
    auto s = running.get();
    EXPECT_LT(steady_clock::now() - asked, seconds(2));
    EXPECT_TRUE(s.cancelled);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE path LIKE '%/Keep/%'"), 10);
    EXPECT_EQ(count("SELECT count(*) FROM scan_failures WHERE path LIKE '%/hang.mp3'"), 0);
}

}  // namespace
}  // namespace sonique::test
