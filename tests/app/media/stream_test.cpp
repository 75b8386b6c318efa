// GET|HEAD /api/tracks/{id}/stream: ranges, validators, confinement to the music roots.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "media_support.hpp"
#include "services/stream.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

const int64_t kSize = 300000;  // several 64 KiB chunks
const int64_t kBig = 256LL << 20;

long resident_kib() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

class StreamApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-stream-" + unique_suffix());
        fs::create_directories(dir_ / "music" / "Artist");
        fs::create_directories(dir_ / "outside");
        content_.resize(kSize);
        for (int64_t i = 0; i < kSize; ++i)
            content_[i] = static_cast<char>((i * 7 + i / 251) % 256);
        write(dir_ / "music" / "Artist" / "song.flac", content_);
        write(dir_ / "outside" / "secret.mp3", "top secret");
        write(dir_ / "music" / "empty.mp3", "");
        fs::create_symlink(dir_ / "outside" / "secret.mp3", dir_ / "music" / "escape.mp3");
        const std::string root = (dir_ / "music").string();
        server_ = new TestServer("stream", [root](Config& c) { c.music_roots = {root}; });
        auto conn = connect(server_->database_url());
        int64_t artist = insert_artist(conn, "Streamer");
        song_ = insert_track(conn, "Song", (dir_ / "music/Artist/song.flac").string(), artist,
                             "audio/flac");
        outside_ = insert_track(conn, "Secret", (dir_ / "outside/secret.mp3").string(), artist);
        dotdot_ = insert_track(conn, "Dots",
                               (dir_ / "music/Artist/../../outside/secret.mp3").string(), artist);
        link_ = insert_track(conn, "Link", (dir_ / "music/escape.mp3").string(), artist);
        missing_ = insert_track(conn, "Gone", (dir_ / "music/gone.mp3").string(), artist);
        empty_ = insert_track(conn, "Empty", (dir_ / "music/empty.mp3").string(), artist);
        dir_track_ = insert_track(conn, "Dir", (dir_ / "music/Artist").string(), artist);
        { std::ofstream big(dir_ / "music/big.wav", std::ios::binary); }
        fs::resize_file(dir_ / "music/big.wav", kBig);  // sparse: no disk space used
        big_ = insert_track(conn, "Big", (dir_ / "music/big.wav").string(), artist);
    }
    static void TearDownTestSuite() {
        delete server_;
        fs::remove_all(dir_);
    }
    static void write(const fs::path& p, const std::string& data) {
        std::ofstream(p, std::ios::binary) << data;
    }
    static std::string url(int64_t id) { return "/api/tracks/" + std::to_string(id) + "/stream"; }
    static httplib::Result get(int64_t id, httplib::Headers h = {}) {
        return server_->client()->Get(url(id), h);
    }
    static httplib::Result range(const std::string& value) {
        return get(song_, {{"Range", value}});
    }

    static TestServer* server_;
    static fs::path dir_;
    static std::string content_;
    static int64_t song_, outside_, dotdot_, link_, missing_, empty_, dir_track_, big_;
};
TestServer* StreamApi::server_ = nullptr;
fs::path StreamApi::dir_;
std::string StreamApi::content_;
int64_t StreamApi::song_, StreamApi::outside_, StreamApi::dotdot_, StreamApi::link_,
    StreamApi::missing_, StreamApi::empty_, StreamApi::dir_track_, StreamApi::big_;

TEST_F(StreamApi, WholeFileWithHeaders) {
    auto res = get(song_);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, content_);
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/flac");
    EXPECT_EQ(res->get_header_value("Accept-Ranges"), "bytes");
    EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(kSize));
    EXPECT_FALSE(res->get_header_value("ETag").empty());
    EXPECT_FALSE(res->get_header_value("Last-Modified").empty());
    EXPECT_FALSE(res->has_header("Content-Range"));
}

TEST_F(StreamApi, HeadGivesHeadersOnly) {
    auto res = server_->client()->Head(url(song_));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(res->body.empty());
    EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(kSize));
    EXPECT_EQ(res->get_header_value("Accept-Ranges"), "bytes");
    auto ranged = server_->client()->Head(url(song_), {{"Range", "bytes=10-19"}});
    EXPECT_EQ(ranged->status, 206);
    EXPECT_EQ(ranged->get_header_value("Content-Length"), "10");
    EXPECT_EQ(ranged->get_header_value("Content-Range"), "bytes 10-19/300000");
}

TEST_F(StreamApi, SingleRanges) {
    struct Case {
        const char* header;
        int64_t start, end;
    } cases[] = {{"bytes=0-0", 0, 0},
                 {"bytes=-1", kSize - 1, kSize - 1},
                 {"bytes=500-", 500, kSize - 1},
                 {"bytes=-500", kSize - 500, kSize - 1},
                 {"bytes=100-199", 100, 199},
                 {"bytes=299990-400000", 299990, kSize - 1},
                 {"bytes=-999999", 0, kSize - 1},
                 {"bytes=65530-131080", 65530, 131080}};
    for (const auto& c : cases) {
        auto res = range(c.header);
        ASSERT_TRUE(res) << c.header;
        EXPECT_EQ(res->status, 206) << c.header;
        EXPECT_EQ(res->get_header_value("Content-Range"), "bytes " + std::to_string(c.start) + "-" +
                                                              std::to_string(c.end) + "/" +
                                                              std::to_string(kSize))
            << c.header;
        EXPECT_EQ(res->body, content_.substr(c.start, c.end - c.start + 1)) << c.header;
    }
}

TEST_F(StreamApi, UnsatisfiableRangesAre416) {
    for (const char* header :
         {"bytes=300000-", "bytes=999999-", "bytes=300000-300010", "bytes=-0"}) {
        auto res = range(header);
        ASSERT_TRUE(res) << header;
        EXPECT_EQ(res->status, 416) << header;
        EXPECT_EQ(res->get_header_value("Content-Range"), "bytes */300000") << header;
        EXPECT_TRUE(body_json(res)["detail"].is_string()) << header;
    }
    // An empty file has no satisfiable range at all.
    auto res = get(empty_, {{"Range", "bytes=0-0"}});
    EXPECT_EQ(res->status, 416);
    EXPECT_EQ(res->get_header_value("Content-Range"), "bytes */0");
}

TEST_F(StreamApi, MultipleRangesGiveTheWholeFile) {
    auto res = range("bytes=0-9, 100-109");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, content_);
}

// RFC 9110 §14.2: a Range header that does not parse is ignored. httplib 0.11 rejects these
// with 416 before routing; the server answers them again without the header.
TEST_F(StreamApi, MalformedRangesAreIgnored) {
    auto c = server_->client();
    c->set_keep_alive(true);  // the connection must stay usable after such an answer
    for (const char* header : {"bytes=abc", "items=0-1", "bytes=20-10", "bytes=0-9,x",
                               "bytes=0-9,20-10", "bytes=99999999999999999999-"}) {
        auto res = c->Get(url(song_), {{"Range", header}});
        ASSERT_TRUE(res) << header;
        EXPECT_EQ(res->status, 200) << header;
        EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(kSize)) << header;
        EXPECT_FALSE(res->has_header("Content-Range")) << header;
        EXPECT_TRUE(res->body == content_) << header << ": " << res->body.size() << " bytes";
    }
    auto head = c->Head(url(song_), {{"Range", "bytes=abc"}});
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(kSize));
    EXPECT_TRUE(head->body.empty());
    // Only the header is ignored: validators and errors still apply.
    const std::string etag = head->get_header_value("ETag");
    EXPECT_EQ(c->Get(url(song_), {{"Range", "items=0-1"}, {"If-None-Match", etag}})->status, 304);
    auto unknown = c->Get(url(99999999), {{"Range", "bytes=abc"}});
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(body_json(unknown)["detail"], "Piste non trouvée");
    EXPECT_EQ(c->Get(url(song_), {{"Range", "bytes=0-9"}})->status, 206);
}

TEST_F(StreamApi, ConditionalRequests) {
    auto first = get(song_);
    const std::string etag = first->get_header_value("ETag");
    const std::string modified = first->get_header_value("Last-Modified");
    auto by_etag = get(song_, {{"If-None-Match", etag}});
    EXPECT_EQ(by_etag->status, 304);
    EXPECT_TRUE(by_etag->body.empty());
    EXPECT_EQ(get(song_, {{"If-None-Match", "\"other\""}})->status, 200);
    EXPECT_EQ(get(song_, {{"If-Modified-Since", modified}})->status, 304);
    EXPECT_EQ(get(song_, {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}})->status, 200);
    EXPECT_EQ(get(song_, {{"If-Modified-Since", "garbage"}})->status, 200);
    // If-Range: the range applies only while the validator still matches.
    EXPECT_EQ(get(song_, {{"Range", "bytes=0-9"}, {"If-Range", etag}})->status, 206);
    EXPECT_EQ(get(song_, {{"Range", "bytes=0-9"}, {"If-Range", modified}})->status, 206);
    auto stale = get(song_, {{"Range", "bytes=0-9"}, {"If-Range", "\"old\""}});
    EXPECT_EQ(stale->status, 200);
    EXPECT_EQ(stale->body.size(), static_cast<size_t>(kSize));
}

TEST_F(StreamApi, FilesOutsideTheRootsAreRefused) {
    for (int64_t id : {outside_, dotdot_, link_}) {
        auto res = get(id);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 404) << id;
        EXPECT_EQ(body_json(res)["detail"], "Fichier hors de la bibliothèque") << id;
        EXPECT_EQ(res->body.find("top secret"), std::string::npos);
    }
}

TEST_F(StreamApi, MissingFilesAndTracks) {
    auto gone = get(missing_, {{"Range", "bytes=0-0"}});
    EXPECT_EQ(gone->status, 404);
    EXPECT_EQ(body_json(gone)["detail"], "Fichier audio introuvable");
    EXPECT_EQ(body_json(get(dir_track_))["detail"], "Fichier audio introuvable");
    auto unknown = get(99999999);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(body_json(unknown)["detail"], "Piste non trouvée");
    EXPECT_EQ(server_->client()->Get("/api/tracks/abc/stream")->status, 422);
    auto traversal = server_->client()->Get("/api/tracks/..%2F..%2Fetc%2Fpasswd/stream");
    EXPECT_TRUE(traversal->status == 404 || traversal->status == 422) << traversal->status;
    EXPECT_EQ(traversal->body.find("root:"), std::string::npos);
}

TEST_F(StreamApi, EmptyFileStreamsZeroBytes) {
    auto res = get(empty_);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(res->body.empty());
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/mpeg");
}

// 256 MiB through the in-process server: the file is never held in memory (the resident
// size of this process, server and client together, grows by far less than the file).
TEST_F(StreamApi, LargeFileIsStreamedNotLoaded) {
    auto c = server_->client();
    int64_t received = 0;
    bool all_zero = true;
    const long before = resident_kib();
    const auto start = std::chrono::steady_clock::now();
    auto res = c->Get(url(big_), [&](const char* data, size_t len) {
        received += static_cast<int64_t>(len);
        for (size_t i = 0; i < len; i += 4096)
            all_zero = all_zero && data[i] == 0;
        return true;
    });
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(received, kBig);
    EXPECT_TRUE(all_zero);
    EXPECT_LT(resident_kib() - before, 64 * 1024);
    std::cerr << "streamed 256 MiB in " << seconds << " s (" << 256 / seconds << " MiB/s), RSS +"
              << (resident_kib() - before) / 1024 << " MiB\n";
}

}  // namespace
}  // namespace sonique::test
