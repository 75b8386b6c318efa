// A real client: the Python package py-opensonic (PyPI, pinned in requirements.txt, installed
// in a venv by scripts/test.sh) drives a listening session (listening_session.py) against the
// `sonique serve` process over a library generated with ffmpeg, scanned by `sonique scan`.
// The session's steps and which of them are pending are listed in the script.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "support/instances.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

constexpr const char* kKey = "client-session-test-key-0123456789";
constexpr const char* kAdmin = "root";
constexpr const char* kAdminPassword = "root secret";
constexpr const char* kUser = "listener";
constexpr const char* kPassword = "p@ss w0rd!";

std::string quote(const std::string& text) {
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

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

// The Python interpreter of the client's venv; fails the test when scripts/test.sh did not
// make it (SKIP_DEPS=1 on a machine that never ran the install step).
std::string client_python() {
    const char* venv = std::getenv("SONIQUE_CLIENT_VENV");
    std::string dir = venv && *venv ? venv : repo_dir() + "/var/py-client";
    std::string python = dir + "/bin/python";
    if (!fs::exists(python))
        throw std::runtime_error("no Python client venv at " + dir +
                                 ": run scripts/test.sh once without SKIP_DEPS (it creates it)");
    return python;
}

// One song: a sine of `seconds` with the tags a real file has.
void make_song(const fs::path& file, const std::string& artist, const std::string& album,
               const std::string& title, int track, int hz) {
    fs::create_directories(file.parent_path());
    run_command("ffmpeg -nostdin -v error -f lavfi -i sine=frequency=" + std::to_string(hz) +
                ":duration=20 -ac 2 -ar 44100 -metadata title=" + quote(title) +
                " -metadata artist=" + quote(artist) + " -metadata album_artist=" + quote(artist) +
                " -metadata album=" + quote(album) + " -metadata track=" + std::to_string(track) +
                " -metadata date=2021 -metadata genre=Ambient " + quote(file.string()));
}

class ClientSession : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<TestDatabase>("subsonic_client");
        root_ = fs::temp_directory_path() / ("sonique-client-" + unique_suffix());
        fs::path first = root_ / "Ada Drums" / "First Light";
        make_song(first / "01 Dawn.flac", "Ada Drums", "First Light", "Dawn", 1, 330);
        make_song(first / "02 Noon.flac", "Ada Drums", "First Light", "Noon", 2, 440);
        make_song(first / "03 Dusk.flac", "Ada Drums", "First Light", "Dusk", 3, 550);
        run_command("ffmpeg -nostdin -v error -f lavfi -i testsrc=size=1000x1000 -frames:v 1 " +
                    quote((first / "cover.jpg").string()));
        make_song(root_ / "Ben Keys" / "Night Shift" / "01 Moon.mp3", "Ben Keys", "Night Shift",
                  "Moon", 1, 660);

        env_ = "DATABASE_URL=" + quote(db_->url()) + " REDIS_URL=" + quote(redis_url()) +
               " SONIQUE_REDIS_PREFIX=" + quote("tclient" + unique_suffix() + ":") +
               " MUSIC_PATH=" + quote(root_.string()) + " ENCRYPTION_KEY=" + kKey +
               " LOG_LEVEL=warn ";
        bin_ = std::string(SONIQUE_BINARY_DIR) + "/app/sonique";
        run_command(env_ + bin_ + " migrate >/dev/null 2>&1");
        run_command(env_ + bin_ + " scan " + quote(root_.string()) + " >/dev/null 2>&1");
        run_command("printf '%s\\n' " + quote(kPassword) + " | " + env_ + bin_ + " user add " +
                    kUser + " >/dev/null 2>&1");
        api_key_ = trim_line(run_command(env_ + bin_ + " user apikey " + kUser + " 2>/dev/null"));
        ASSERT_EQ(api_key_.size(), 16u + 1 + 64) << api_key_;

        port_ = free_port();
        pid_ = fork();
        if (pid_ == 0) {
            std::string cmd = env_ + "PORT=" + std::to_string(port_) +
                              " HOST=127.0.0.1 SONIQUE_ADMIN_USER=" + kAdmin +
                              " SONIQUE_ADMIN_PASSWORD=" + quote(kAdminPassword) + " exec " + bin_ +
                              " serve";
            execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        ASSERT_TRUE(wait_up()) << "sonique serve did not start";
    }

    void TearDown() override {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
        std::error_code ignored;
        fs::remove_all(root_, ignored);
    }

    static std::string trim_line(std::string text) {
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
        return text;
    }

    bool wait_up() {
        for (int i = 0; i < 150; ++i) {
            try {
                run_command("curl -sf -o /dev/null http://127.0.0.1:" + std::to_string(port_) +
                            "/api/healthcheck");
                return true;
            } catch (const std::exception&) {
                std::this_thread::sleep_for(milliseconds(100));
            }
        }
        return false;
    }

    std::unique_ptr<TestDatabase> db_;
    fs::path root_;
    std::string env_, bin_, api_key_;
    int port_ = 0;
    pid_t pid_ = -1;
};

TEST_F(ClientSession, PyOpensonicListensThroughASession) {
    std::string script = repo_dir() + "/tests/subsonic/client/listening_session.py";
    std::string out;
    int status = 0;
    {
        std::string cmd = quote(client_python()) + " " + quote(script) + " " +
                          std::to_string(port_) + " " + kUser + " " + quote(kPassword) + " " +
                          quote(api_key_) + " 2>&1";
        FILE* p = popen(cmd.c_str(), "r");
        ASSERT_NE(p, nullptr);
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0)
            out.append(buf, n);
        status = pclose(p);
    }
    std::cout << out;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
    // The script ran to its summary, no step was skipped or failed, and every step ran.
    EXPECT_NE(out.find("RESULT ok="), std::string::npos) << out;
    EXPECT_NE(out.find(" skipped=0 failed=0"), std::string::npos) << out;
    for (const char* step :
         {"login_password", "login_token", "login_api_key", "list_artists", "open_album", "cover",
          "cover_sizes", "stream", "star", "scrobble", "playlist", "play_queue"})
        EXPECT_NE(out.find(std::string("ok ") + step + "\n"), std::string::npos) << step;
}

}  // namespace
}  // namespace sonique::test
