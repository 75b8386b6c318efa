// stream with transcoding, for real: ffmpeg makes the library's files and the server's answers,
// ffprobe reads those answers. Opus, MP3 and AAC, maxBitRate (the client's and the user's),
// timeOffset, estimateContentLength, no ffmpeg left once a client goes away, the concurrency
// limit answered at once, and bad parameters.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "media_tools.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

constexpr int kLimit = 2;

// A server of its own (transcode limit 2) whose root holds a 10 s FLAC and a 600 s one
// (a sine: small on disk, long to transcode), scanned.
class SubsonicTranscode : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-transcode-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "root" / "Artist" / "Album");
        const std::string album = (dir_ / "root" / "Artist" / "Album").string();
        run_tool(
            "ffmpeg -v error -nostdin -f lavfi -i sine=frequency=440:duration=10 -ac 2 "
            "-metadata title=Short -metadata track=1 -c:a flac " +
            album + "/short.flac");
        run_tool(
            "ffmpeg -v error -nostdin -f lavfi -i sine=frequency=220:duration=600 -ac 2 "
            "-metadata title=Long -metadata track=2 -c:a flac " +
            album + "/long.flac");
        server_ = new SubsonicServer("subsonic_transcode", false, {(dir_ / "root").string()},
                                     [](Config& c) { c.transcode_limit = kLimit; });
        scan_and_wait(*server_);
        Json songs =
            server_->json("search3", as_alice() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 2u) << songs.dump();
        for (const auto& s : songs)
            (s["title"] == "Short" ? short_id_ : long_id_) = s["id"].get<std::string>();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        fs::remove_all(dir_);
    }

    // The answer of stream, its body written to a file for ffprobe.
    static httplib::Result stream(const Query& q, const std::string& save_as = "") {
        auto res = server_->get("stream", q);
        if (res && !save_as.empty()) {
            std::ofstream out(dir_ / save_as, std::ios::binary);
            out << res->body;
        }
        return res;
    }
    static std::string saved(const std::string& name) { return (dir_ / name).string(); }
    static std::string target(const Query& q) {
        return "/rest/stream?" + encode_query(q + Query{{"v", "1.16.1"}, {"c", "tests"}});
    }

    static inline SubsonicServer* server_ = nullptr;
    static inline fs::path dir_;
    static inline std::string short_id_, long_id_;
};

int64_t error_code(const httplib::Result& res) {
    Json j = Json::parse(res->body, nullptr, false);
    if (j.is_discarded() || !j.contains("subsonic-response")) return -1;
    return j["subsonic-response"]["error"]["code"].get<int64_t>();
}

double duration_of(const Json& probed) {
    return std::stod(probed["format"]["duration"].get<std::string>());
}

// Measured from the bytes received: what the client's connection carries.
double kbps_of(const std::string& path, const Json& probed) {
    return static_cast<double>(fs::file_size(path)) * 8 / 1000 / duration_of(probed);
}

TEST_F(SubsonicTranscode, OpusDecodesAndLastsAsLongAsTheSong) {
    auto res = stream(as_alice() + Query{{"id", short_id_}, {"format", "opus"}}, "a.opus");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/ogg");
    EXPECT_EQ(res->get_header_value("Transfer-Encoding"), "chunked");
    Json p = probe(saved("a.opus"));
    EXPECT_EQ(p["streams"][0]["codec_name"], "opus");
    EXPECT_NEAR(duration_of(p), 10.0, 1.0);
    EXPECT_EQ(wait_for_ffmpeg_children(0, 1000), 0u);
}

TEST_F(SubsonicTranscode, Mp3AndAacHaveTheirTypesAndDefaultRates) {
    auto mp3 = stream(as_alice() + Query{{"id", short_id_}, {"format", "mp3"}}, "a.mp3");
    ASSERT_EQ(mp3->status, 200);
    EXPECT_EQ(mp3->get_header_value("Content-Type"), "audio/mpeg");
    Json p = probe(saved("a.mp3"));
    EXPECT_EQ(p["streams"][0]["codec_name"], "mp3");
    EXPECT_NEAR(kbps_of(saved("a.mp3"), p), 192, 192 * 0.05);
    auto aac = stream(as_alice() + Query{{"id", short_id_}, {"format", "aac"}}, "a.aac");
    ASSERT_EQ(aac->status, 200);
    EXPECT_EQ(aac->get_header_value("Content-Type"), "audio/aac");
    EXPECT_EQ(probe(saved("a.aac"))["streams"][0]["codec_name"], "aac");
}

TEST_F(SubsonicTranscode, MaxBitRateIsHonoured) {
    // No format: Opus at the cap. A constrained VBR may stay under it, never above (the Ogg
    // pages add about 1%).
    auto res = stream(as_alice() + Query{{"id", short_id_}, {"maxBitRate", "48"}}, "cap.opus");
    ASSERT_EQ(res->status, 200);
    Json p = probe(saved("cap.opus"));
    EXPECT_EQ(p["streams"][0]["codec_name"], "opus");
    EXPECT_LE(kbps_of(saved("cap.opus"), p), 48 * 1.05);
    // MP3 is constant: the measured rate is the cap.
    res = stream(as_alice() + Query{{"id", short_id_}, {"format", "mp3"}, {"maxBitRate", "96"}},
                 "cap.mp3");
    p = probe(saved("cap.mp3"));
    EXPECT_NEAR(kbps_of(saved("cap.mp3"), p), 96, 96 * 0.05);
    // A cap above the file's rate, or none: the original bytes.
    const auto original = fs::file_size(dir_ / "root" / "Artist" / "Album" / "short.flac");
    res = stream(as_alice() + Query{{"id", short_id_}, {"maxBitRate", "320"}});
    EXPECT_EQ(res->body.size(), original);
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/flac");
    // format=raw is the original whatever the cap.
    res = stream(as_alice() + Query{{"id", short_id_}, {"format", "raw"}, {"maxBitRate", "32"}});
    EXPECT_EQ(res->body.size(), original);
}

TEST_F(SubsonicTranscode, TheUsersMaxBitRateAppliesUnlessTheClientAsksLower) {
    ASSERT_EQ(server_->json("updateUser", as_admin() + Query{{"username", kUserName},
                                                             {"maxBitRate", "64"}})["status"],
              "ok");
    Json user = server_->json("getUser", as_alice() + Query{{"username", kUserName}})["user"];
    EXPECT_EQ(user["maxBitRate"], 64);
    auto mp3 = [&](const std::string& client_cap, const std::string& name) {
        Query q = as_alice() + Query{{"id", short_id_}, {"format", "mp3"}};
        if (!client_cap.empty()) q.emplace_back("maxBitRate", client_cap);
        stream(q, name);
        return kbps_of(saved(name), probe(saved(name)));
    };
    EXPECT_NEAR(mp3("", "u1.mp3"), 64, 64 * 0.05);
    EXPECT_NEAR(mp3("320", "u2.mp3"), 64, 64 * 0.05);
    EXPECT_NEAR(mp3("32", "u3.mp3"), 32, 32 * 0.05);
    // No format: the user's cap transcodes a FLAC to Opus.
    auto res = stream(as_alice() + Query{{"id", short_id_}});
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/ogg");
    server_->json("updateUser", as_admin() + Query{{"username", kUserName}, {"maxBitRate", "0"}});
    user = server_->json("getUser", as_alice() + Query{{"username", kUserName}})["user"];
    EXPECT_FALSE(user.contains("maxBitRate"));
    res = stream(as_alice() + Query{{"id", short_id_}});
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/flac");
}

TEST_F(SubsonicTranscode, TimeOffsetShortensTheOutput) {
    stream(as_alice() + Query{{"id", short_id_}, {"format", "opus"}, {"timeOffset", "4"}},
           "off.opus");
    EXPECT_NEAR(duration_of(probe(saved("off.opus"))), 6.0, 1.0);
    Json ext = server_->json("getOpenSubsonicExtensions", {})["openSubsonicExtensions"];
    bool listed = false;
    for (const auto& e : ext)
        listed = listed || e["name"] == "transcodeOffset";
    EXPECT_TRUE(listed) << ext.dump();
}

TEST_F(SubsonicTranscode, EstimateContentLengthIsTheExactByteCount) {
    // 10 s at 192 kbit/s, and 6 s at 128 kbit/s: the body is cut or padded to the length.
    auto res = stream(
        as_alice() + Query{{"id", short_id_}, {"format", "mp3"}, {"estimateContentLength", "true"}},
        "est.mp3");
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Length"), "240000");
    EXPECT_EQ(res->body.size(), 240000u);
    EXPECT_EQ(probe(saved("est.mp3"))["streams"][0]["codec_name"], "mp3");
    res = stream(as_alice() + Query{{"id", short_id_},
                                    {"format", "opus"},
                                    {"timeOffset", "4"},
                                    {"estimateContentLength", "true"}});
    EXPECT_EQ(res->get_header_value("Content-Length"), "96000");
    EXPECT_EQ(res->body.size(), 96000u);
    EXPECT_EQ(wait_for_ffmpeg_children(0, 1000), 0u);
}

TEST_F(SubsonicTranscode, AClientThatGoesAwayLeavesNoFfmpeg) {
    ASSERT_EQ(wait_for_ffmpeg_children(0, 1000), 0u);
    for (const char* estimate : {"false", "true"}) {
        PartialGet get(server_->server().port(),
                       target(as_alice() + Query{{"id", long_id_},
                                                 {"format", "opus"},
                                                 {"estimateContentLength", estimate}}),
                       16 * 1024);
        EXPECT_NE(get.head().find("200"), std::string::npos) << get.head();
        // 600 s of Opus do not fit the pipe and the socket: ffmpeg is still there.
        EXPECT_EQ(ffmpeg_children().size(), 1u) << estimate;
        get.close();
        EXPECT_EQ(wait_for_ffmpeg_children(0, 1000), 0u) << estimate;
    }
}

TEST_F(SubsonicTranscode, PastTheLimitTheAnswerIsAnErrorAtOnce) {
    std::vector<std::unique_ptr<PartialGet>> running;
    for (int i = 0; i < kLimit; ++i)
        running.push_back(std::make_unique<PartialGet>(
            server_->server().port(),
            target(as_alice() + Query{{"id", long_id_}, {"format", "opus"}}), 1024));
    ASSERT_EQ(ffmpeg_children().size(), static_cast<size_t>(kLimit));
    auto client = server_->server().client();
    client->set_read_timeout(5, 0);  // a hang fails the request rather than the suite
    auto refused = client->Get(
        target(as_alice() + Query{{"id", short_id_}, {"format", "mp3"}, {"f", "json"}}));
    ASSERT_TRUE(refused);
    EXPECT_EQ(error_code(refused), 0);
    EXPECT_NE(refused->body.find("Too many transcodes"), std::string::npos) << refused->body;
    // Originals are not counted.
    auto original = stream(as_alice() + Query{{"id", short_id_}});
    EXPECT_EQ(original->get_header_value("Content-Type"), "audio/flac");
    running.clear();
    ASSERT_EQ(wait_for_ffmpeg_children(0, 1000), 0u);
    // The slots came back with the children.
    auto again = stream(as_alice() + Query{{"id", short_id_}, {"format", "mp3"}});
    EXPECT_EQ(again->get_header_value("Content-Type"), "audio/mpeg");
}

TEST_F(SubsonicTranscode, BadParametersAreRefused) {
    const Query song = {{"id", short_id_}};
    for (Query bad :
         {Query{{"format", "wav"}}, Query{{"format", "../../bin/sh"}}, Query{{"format", "-f"}},
          Query{{"maxBitRate", "-1"}}, Query{{"maxBitRate", "12.5"}}, Query{{"timeOffset", "-3"}},
          Query{{"timeOffset", "abc"}}, Query{{"estimateContentLength", "yes!"}}}) {
        Json j = server_->json("stream", as_alice() + song + bad);
        EXPECT_EQ(j["error"]["code"], 0) << bad[0].first << "=" << bad[0].second << j.dump();
    }
    // The file's own suffix as the format: the original.
    auto res = stream(as_alice() + song + Query{{"format", "flac"}});
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/flac");
    for (const char* id : {"tr-999999", "al-1", "ar-1", "tr-01", "tr-1;ls", "-i"}) {
        Json j = server_->json("stream", as_alice() + Query{{"id", id}, {"format", "opus"}});
        EXPECT_EQ(j["error"]["code"], 70) << id;
    }
    Json j = server_->json("createUser", as_admin() + Query{{"username", "carol"},
                                                            {"password", "pw"},
                                                            {"email", "c@example.org"},
                                                            {"maxBitRate", "100"}});
    EXPECT_EQ(j["error"]["code"], 0) << j.dump();
    EXPECT_EQ(wait_for_ffmpeg_children(0, 1000), 0u);
}

}  // namespace
}  // namespace sonique::test
