// SIGTERM with a request in flight: the request completes, then the process exits cleanly.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include "db/connection.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono;

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return ntohs(a.sin_port);
}

using Env = std::vector<std::pair<std::string, std::string>>;

pid_t spawn_server(const std::string& db_url, int port, const Env& extra = {}) {
    pid_t pid = fork();
    if (pid == 0) {
        for (const auto& [name, value] : extra)
            setenv(name.c_str(), value.c_str(), 1);
        setenv("DATABASE_URL", db_url.c_str(), 1);
        setenv("REDIS_URL", "none", 1);
        setenv("PORT", std::to_string(port).c_str(), 1);
        setenv("HOST", "127.0.0.1", 1);
        setenv("LOG_LEVEL", "warn", 1);
        std::string bin = std::string(SONIQUE_BINARY_DIR) + "/app/sonique";
        execl(bin.c_str(), bin.c_str(), "serve", static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

bool wait_up(int port) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20, 0);
    for (int i = 0; i < 100; ++i) {
        auto res = client.Get("/api/healthcheck");
        if (res && res->status == 200) return true;
        std::this_thread::sleep_for(milliseconds(100));
    }
    return false;
}

// Waits up to `limit` for the process to end; returns its wait status, or -1.
int wait_exit(pid_t pid, steady_clock::duration limit) {
    int status = 0;
    auto start = steady_clock::now();
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (steady_clock::now() - start > limit) return -1;
        std::this_thread::sleep_for(milliseconds(20));
    }
    return status;
}

TEST(Shutdown, SigtermLetsInFlightRequestsFinish) {
    TestDatabase db("shutdown");
    int port = free_port();
    pid_t pid = spawn_server(db.url(), port);
    ASSERT_TRUE(wait_up(port)) << "sonique serve did not start";

    // Hold a lock so that the next request waits inside the server.
    db::Connection locker({db.url(), 0, 5});
    locker.exec_script("BEGIN; LOCK TABLE artists, row_count_deltas IN ACCESS EXCLUSIVE MODE");
    auto in_flight = std::async(std::launch::async, [port] {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(20, 0);
        auto res = c.Get("/api/artists/count");
        return res ? res->status : -1;
    });
    std::this_thread::sleep_for(milliseconds(400));
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    std::this_thread::sleep_for(milliseconds(400));

    // No new connections are accepted once stopping.
    httplib::Client late("127.0.0.1", port);
    late.set_connection_timeout(1, 0);
    auto refused = late.Get("/api/healthcheck");
    EXPECT_FALSE(refused && refused->status == 200);

    EXPECT_EQ(in_flight.wait_for(milliseconds(0)), std::future_status::timeout)
        << "the request should still be waiting on the lock";
    locker.exec_script("COMMIT");
    EXPECT_EQ(in_flight.get(), 200);

    int status = 0;
    auto start = steady_clock::now();
    while (waitpid(pid, &status, WNOHANG) == 0 && steady_clock::now() - start < seconds(10))
        std::this_thread::sleep_for(milliseconds(50));
    ASSERT_TRUE(WIFEXITED(status)) << "sonique did not exit after SIGTERM";
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

// serve --watch: SIGTERM while a watch-triggered scan is busy with a file that keeps TagLib
// reading for longer than the 20 s read timeout (a huge corrupt MP3, sparse so that it costs
// no disk space). The scan is cancelled, not waited for: the process exits within seconds.
TEST(Shutdown, SigtermCancelsARunningWatchScan) {
    namespace fs = std::filesystem;
    TestDatabase db("shutdown_watch");
    fs::path music = fs::temp_directory_path() / ("sonique-shutdown-watch-" + unique_suffix());
    fs::create_directories(music);
    int port = free_port();
    pid_t pid = spawn_server(
        db.url(), port,
        {{"MUSIC_PATH", music.string()}, {"SONIQUE_WATCH", "true"}, {"SONIQUE_SCAN_THREADS", "1"}});
    struct Cleanup {  // whatever the outcome: no server and no 4 GB file left behind
        pid_t& pid;
        fs::path dir;
        ~Cleanup() {
            if (pid > 0 && kill(pid, SIGKILL) == 0) waitpid(pid, nullptr, 0);
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } cleanup{pid, music};
    ASSERT_TRUE(wait_up(port)) << "sonique serve --watch did not start";

    std::ofstream(music / "huge.mp3").put('\0');
    fs::resize_file(music / "huge.mp3", 4ull << 30);
    db::Connection conn({db.url(), 0, 5});
    auto sessions = [&](const char* status) {
        return conn.exec("SELECT count(*) FROM scan_sessions WHERE status = $1", db::Params(status))
            .int64(0, 0);
    };
    auto deadline = steady_clock::now() + seconds(20);  // the watcher's debounce is 2 s
    while (sessions("running") == 0 && steady_clock::now() < deadline)
        std::this_thread::sleep_for(milliseconds(50));
    ASSERT_EQ(sessions("running"), 1) << "no watch scan started";
    std::this_thread::sleep_for(milliseconds(700));  // discovery done, the file is being read

    auto signalled = steady_clock::now();
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    int status = wait_exit(pid, seconds(30));
    auto took = steady_clock::now() - signalled;
    if (status != -1) pid = -1;  // reaped
    ASSERT_NE(status, -1) << "sonique did not exit within 30 s of SIGTERM";
    ASSERT_TRUE(WIFEXITED(status)) << "sonique did not exit after SIGTERM";
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_LT(took, seconds(3)) << duration_cast<milliseconds>(took).count() << " ms";
    EXPECT_EQ(sessions("cancelled"), 1);
    EXPECT_EQ(sessions("running"), 0);
}

}  // namespace
}  // namespace sonique::test
