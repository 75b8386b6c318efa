// The DLNA media server end to end (issue 19's Tests), in two network namespaces joined by a
// veth pair with private addresses (nothing leaves them): `sonique serve` runs in one, a real
// UPnP client (async-upnp-client, tests/dlna/netns_client.py) in the other. Discovery by the
// alive NOTIFYs and M-SEARCH, LOCATION and USN; the description, every top container browsed to
// its end, searches by artist and title, a res fetched with a Range; GENA with a change after a
// rescan; byebye on SIGTERM. The library is three tracks made with ffmpeg (fast).
// PostgreSQL is reached through its unix socket (a filesystem path: the same in every
// namespace); Redis is off (REDIS_URL=none).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/connection.hpp"
#include "support/test_env.hpp"

namespace sonique {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs argv with stdout and stderr into out; kills it after limit. Returns the exit status
// (-1 when killed or not run).
int run(const std::vector<std::string>& argv, const fs::path& out, std::chrono::seconds limit) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A 2-second tagged tone made by ffmpeg (argv, no shell: the names have spaces).
void make_song(const fs::path& file, const std::string& artist, const std::string& album,
               const std::string& title, int track, const std::string& genre,
               const std::vector<std::string>& codec, const fs::path& log) {
    fs::create_directories(file.parent_path());
    std::vector<std::string> argv = {
        "ffmpeg", "-nostdin",
        "-v",     "error",
        "-f",     "lavfi",
        "-i",     "sine=frequency=" + std::to_string(300 + 50 * track) + ":duration=2"};
    argv.insert(argv.end(), codec.begin(), codec.end());
    for (const auto& [k, v] :
         std::vector<std::pair<std::string, std::string>>{{"title", title},
                                                          {"artist", artist},
                                                          {"album_artist", artist},
                                                          {"album", album},
                                                          {"track", std::to_string(track)},
                                                          {"genre", genre}})
        argv.insert(argv.end(), {"-metadata", k + "=" + v});
    argv.push_back(file.string());
    ASSERT_EQ(run(argv, log, std::chrono::seconds(60)), 0) << read_file(log);
}

int sh(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str());
}

// Two namespaces and the veth pair between them, removed on destruction.
struct Namespaces {
    std::string tag = std::to_string(::getpid() % 100000);
    std::string server = "sqd" + tag + "s", client = "sqd" + tag + "c";
    std::string net = "10.213." + std::to_string(::getpid() % 250);
    std::string server_ip = net + ".1", client_ip = net + ".2";
    bool made = false;

    // False when the kernel or the user refuses a network namespace.
    bool make() {
        if (sh("ip netns add " + server) != 0) return false;
        made = true;
        std::string a = "sqd" + tag + "a", b = "sqd" + tag + "b";
        for (const auto& cmd :
             {"ip netns add " + client,
              "ip link add " + a + " netns " + server + " type veth peer name " + b + " netns " +
                  client,
              "ip -n " + server + " addr add " + server_ip + "/24 dev " + a,
              "ip -n " + client + " addr add " + client_ip + "/24 dev " + b,
              "ip -n " + server + " link set lo up", "ip -n " + client + " link set lo up",
              "ip -n " + server + " link set " + a + " up",
              "ip -n " + client + " link set " + b + " up",
              "ip -n " + server + " route add 239.0.0.0/8 dev " + a,
              "ip -n " + client + " route add 239.0.0.0/8 dev " + b})
            if (sh(cmd) != 0) throw std::runtime_error("network setup failed: " + cmd);
        return true;
    }
    ~Namespaces() {
        if (!made) return;
        sh("ip netns del " + server);  // takes the veth pair with it
        sh("ip netns del " + client);
    }
};

TEST(DlnaNetwork, DiscoveryEventingAndByebyeBetweenNetworkNamespaces) {
    const char* venv_env = std::getenv("SONIQUE_CLIENT_VENV");
    fs::path venv = venv_env ? venv_env : fs::path(test::repo_dir()) / "var" / "py-client";
    fs::path python = venv / "bin" / "python";
    ASSERT_TRUE(fs::exists(python)) << python << " missing: run scripts/test.sh (it makes the "
                                    << "client venv with async-upnp-client)";
    Namespaces ns;
    if (!ns.make())
        GTEST_SKIP() << "cannot create a network namespace (`ip netns add` refused: needs root "
                        "and CAP_SYS_ADMIN); the DLNA network test needs one";

    // The server's database, through PostgreSQL's unix socket.
    db::Connection admin({test::admin_database_url()});
    auto settings = admin.exec(
        "SELECT split_part(current_setting('unix_socket_directories'), ',', 1), "
        "current_setting('port')");
    std::string socket_dir = settings.str(0, 0), pg_port = settings.str(0, 1);
    ASSERT_FALSE(socket_dir.empty())
        << "the test PostgreSQL has no unix socket: the namespaced server cannot reach it";
    test::TestDatabase db("dlna_netns");
    std::string conninfo =
        "host=" + socket_dir + " port=" + pg_port + " dbname=" + db.name() + " user=postgres";

    fs::path dir = fs::temp_directory_path() / ("sonique-dlna-netns-" + ns.tag);
    fs::remove_all(dir);
    fs::create_directories(dir / "data");
    // Three tracks, two artists, two albums, two genres; the rescan adds a fourth.
    const std::vector<std::string> mp3 = {"-c:a", "libmp3lame", "-b:a", "64k"};
    const std::vector<std::string> flac = {"-c:a", "flac"};
    fs::path moon = dir / "music" / "Ben Keys" / "Night Shift" / "01 Moon.mp3";
    make_song(moon, "Ben Keys", "Night Shift", "Moon", 1, "Jazz", mp3, dir / "ffmpeg.log");
    make_song(dir / "music" / "Ben Keys" / "Night Shift" / "02 Noon.mp3", "Ben Keys", "Night Shift",
              "Noon", 2, "Jazz", mp3, dir / "ffmpeg.log");
    make_song(dir / "music" / "Ada Drums" / "First Light" / "01 Dawn.flac", "Ada Drums",
              "First Light", "Dawn", 1, "Ambient", flac, dir / "ffmpeg.log");
    fs::path extra = dir / "extra.mp3";
    make_song(extra, "Ben Keys", "Night Shift", "Dusk", 3, "Jazz", mp3, dir / "ffmpeg.log");
    if (HasFatalFailure()) return;
    // A UUID made by an earlier run: the server must keep it.
    const std::string uuid = "5f0c1a2e-7d3b-4c1a-9e2f-0123456789ab";
    std::ofstream(dir / "data" / "dlna-device-uuid") << uuid << "\n";

    std::string bin = std::string(SONIQUE_BINARY_DIR) + "/app/sonique";
    std::vector<std::string> env = {"env",
                                    "DATABASE_URL=" + conninfo,
                                    "REDIS_URL=none",
                                    "MUSIC_PATH=" + (dir / "music").string(),
                                    "SONIQUE_DATA_DIR=" + (dir / "data").string(),
                                    "SONIQUE_ANALYSIS_AUTO=false",
                                    "SONIQUE_DLNA=on",
                                    "PORT=8001",
                                    "LOG_LEVEL=info"};
    std::vector<std::string> scan = env;
    scan.insert(scan.end(), {bin, "scan"});
    ASSERT_EQ(run(scan, dir / "scan.log", std::chrono::seconds(120)), 0)
        << read_file(dir / "scan.log");

    std::vector<std::string> client = {
        "ip",
        "netns",
        "exec",
        ns.client,
        python.string(),
        test::repo_dir() + "/tests/dlna/netns_client.py",
        "--local",
        ns.client_ip,
        "--server",
        ns.server_ip,
        "--port",
        "8001",
        "--uuid",
        uuid,
        "--server-log",
        (dir / "serve.log").string(),
        "--pid-file",
        (dir / "serve.pid").string(),
        "--tracks",
        "3",
        "--artist",
        "Ben Keys",
        "--artist-titles",
        "Moon",
        "Noon",
        "--title",
        "Moon",
        "--title-file",
        moon.string(),
        "--new-album",
        "Night Shift",
        "--new-file-src",
        extra.string(),
        "--new-file-dst",
        (dir / "music" / "Ben Keys" / "Night Shift" / "03 Dusk.mp3").string(),
        "--serve",
        "ip",
        "netns",
        "exec",
        ns.server};
    client.insert(client.end(), env.begin(), env.end());
    client.insert(client.end(), {bin, "serve", "--scan"});
    client.insert(client.end(), scan.begin(), scan.end());
    int status = run(client, dir / "client.log", std::chrono::seconds(240));
    // Whatever happened, no server is left running.
    if (auto pid = read_file(dir / "serve.pid"); !pid.empty()) ::kill(std::stoi(pid), SIGKILL);
    std::string out = read_file(dir / "client.log");
    EXPECT_EQ(status, 0) << out << "\n--- server log ---\n" << read_file(dir / "serve.log");
    for (const char* fact :
         {"ok    ssdp:alive received for 5", "ok    M-SEARCH ssdp:all",
          "ok    All Tracks browsed to its end: 3 items", "ok    search by artist Ben Keys",
          "ok    the first 512 bytes", "ok    initial event", "ok    change event: SystemUpdateID",
          "ok    async-upnp-client saw SystemUpdateID", "ok    m/all and the album",
          "ok    ssdp:byebye for 5", "ok    sonique serve exited with 0"})
        EXPECT_NE(out.find(fact), std::string::npos) << fact << "\n" << out;
    if (status == 0) fs::remove_all(dir);
}

}  // namespace
}  // namespace sonique
