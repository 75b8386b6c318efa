// SIGTERM with a request in flight: the request completes, then the process exits cleanly.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>

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

pid_t spawn_server(const std::string& db_url, int port) {
    pid_t pid = fork();
    if (pid == 0) {
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

TEST(Shutdown, SigtermLetsInFlightRequestsFinish) {
    TestDatabase db("shutdown");
    int port = free_port();
    pid_t pid = spawn_server(db.url(), port);
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20, 0);
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
        auto res = client.Get("/api/healthcheck");
        up = res && res->status == 200;
        if (!up) std::this_thread::sleep_for(milliseconds(100));
    }
    ASSERT_TRUE(up) << "sonique serve did not start";

    // Hold a lock so that the next request waits inside the server.
    db::Connection locker({db.url(), 0, 5});
    locker.exec_script("BEGIN; LOCK TABLE artists IN ACCESS EXCLUSIVE MODE");
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

}  // namespace
}  // namespace sonique::test
