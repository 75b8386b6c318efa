// stream, download and getCoverArt: the original file's bytes, Range and 206, the roles, ids of the
// wrong kind in both formats, and a file that resolves outside the library roots never served.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "services/covers.hpp"
#include "subsonic_support.hpp"
#include "support/images.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A server of its own whose one root holds one real file, scanned; bob has neither the stream
// nor the download role.
class SubsonicMedia : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("sonique-subsonic-media-" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "root" / "Artist");
        file_ = dir_ / "root" / "Artist" / "a song.wav";
        fs::copy_file(fs::path(fixtures_dir()) / "odd-audio" / "alaw.wav", file_);
        server_ = new SubsonicServer("subsonic_media", false, {(dir_ / "root").string()});
        services::UserRoles none;
        none.stream = false;
        none.download = false;
        server_->users().create("bob", "bobpw", "", none);
        scan_and_wait(*server_);
        Json songs =
            server_->json("search3", as_alice() + Query{{"query", ""}})["searchResult3"]["song"];
        ASSERT_EQ(songs.size(), 1u) << songs.dump();
        song_id_ = songs[0]["id"].get<std::string>();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        fs::remove_all(dir_);
    }

    // GET /rest/<method> with Subsonic parameters and extra headers.
    static httplib::Result get(const std::string& method, Query q,
                               const httplib::Headers& headers = {}) {
        q.emplace_back("v", "1.16.1");
        q.emplace_back("c", "sonique-tests");
        return server_->server().client()->Get("/rest/" + method + "?" + encode_query(q), headers);
    }

    static inline SubsonicServer* server_ = nullptr;
    static inline fs::path dir_;
    static inline fs::path file_;
    static inline std::string song_id_;
};

Query as_bob() {
    return {{"u", "bob"}, {"p", "bobpw"}};
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

std::string xml_code(const XmlNode& x) {
    const XmlNode* e = x.first(ns("error"));
    return e ? e->attrs.at("code") : "";
}

TEST_F(SubsonicMedia, StreamSendsTheOriginalBytes) {
    const std::string bytes = read_file(file_);
    ASSERT_FALSE(bytes.empty());
    // Nothing asks for a transcode: raw, the file's own format, a cap at its bit rate (128
    // kbit/s). Transcodes are transcode_test.cpp's.
    for (Query extra : {Query{}, Query{{"format", "raw"}}, Query{{"format", "wav"}},
                        Query{{"maxBitRate", "128"}}}) {
        auto res = get("stream", as_alice() + Query{{"id", song_id_}} + extra);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200);
        EXPECT_EQ(res->body, bytes) << "the original";
        EXPECT_EQ(res->get_header_value("Accept-Ranges"), "bytes");
        EXPECT_FALSE(res->get_header_value("ETag").empty());
        EXPECT_EQ(res->get_header_value("Content-Type").rfind("audio/", 0), 0u)
            << res->get_header_value("Content-Type");
    }
}

TEST_F(SubsonicMedia, StreamAnswersARangeWith206AndTheSlice) {
    const std::string bytes = read_file(file_);
    ASSERT_GT(bytes.size(), 200u);
    auto res = get("stream", as_alice() + Query{{"id", song_id_}}, {{"Range", "bytes=100-199"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 206);
    EXPECT_EQ(res->body, bytes.substr(100, 100));
    EXPECT_EQ(res->get_header_value("Content-Range"),
              "bytes 100-199/" + std::to_string(bytes.size()));
    // The validator gives 304.
    auto full = get("stream", as_alice() + Query{{"id", song_id_}});
    auto again = get("stream", as_alice() + Query{{"id", song_id_}},
                     {{"If-None-Match", full->get_header_value("ETag")}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
}

TEST_F(SubsonicMedia, ARangePastTheEndIs416) {
    const std::string size = std::to_string(fs::file_size(file_));
    auto res =
        get("stream", as_alice() + Query{{"id", song_id_}}, {{"Range", "bytes=" + size + "-"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 416);
    EXPECT_EQ(res->get_header_value("Content-Range"), "bytes */" + size);
}

TEST_F(SubsonicMedia, AnErrorBodyIsNeverSliced) {
    auto res = get("stream", as_alice() + Query{{"id", "tr-999999"}, {"f", "json"}},
                   {{"Range", "bytes=0-3"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Json j = Json::parse(res->body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << res->body;
    EXPECT_EQ(code(j["subsonic-response"]), 70);
}

TEST_F(SubsonicMedia, DownloadSendsTheFileAsAnAttachment) {
    auto res = get("download", as_alice() + Query{{"id", song_id_}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, read_file(file_));
    // cpp-httplib's client percent-decodes header values: filename* reads back decoded.
    EXPECT_EQ(res->get_header_value("Content-Disposition"),
              "attachment; filename=\"a song.wav\"; filename*=UTF-8''a song.wav");
    auto part = get("download", as_alice() + Query{{"id", song_id_}}, {{"Range", "bytes=0-9"}});
    EXPECT_EQ(part->status, 206);
    EXPECT_EQ(part->body, read_file(file_).substr(0, 10));
}

TEST_F(SubsonicMedia, RolesAreEnforced) {
    for (const char* method : {"stream", "download"}) {
        EXPECT_EQ(code(server_->json(method, as_bob() + Query{{"id", song_id_}})), 50) << method;
        EXPECT_EQ(xml_code(server_->xml(method, as_bob() + Query{{"id", song_id_}})), "50")
            << method;
    }
    // The administrator has every role.
    EXPECT_EQ(get("download", as_admin() + Query{{"id", song_id_}})->status, 200);
}

TEST_F(SubsonicMedia, UnknownAndWrongKindIdsAreNotFound) {
    for (const char* method : {"stream", "download"}) {
        for (const char* id : {"tr-999999", "al-1", "ar-1", "1", "tr-abc", "tr--1"}) {
            EXPECT_EQ(code(server_->json(method, as_alice() + Query{{"id", id}})), 70)
                << method << " " << id;
            EXPECT_EQ(xml_code(server_->xml(method, as_alice() + Query{{"id", id}})), "70")
                << method << " " << id;
        }
        EXPECT_EQ(code(server_->json(method, as_alice())), 10) << method << ": no id";
    }
}

// The scanned file replaced by a link to a file outside the roots: the path resolves outside,
// so it is not served (70), in either method.
TEST_F(SubsonicMedia, AFileOutsideTheRootsIsNeverServed) {
    const fs::path outside = dir_ / "outside.wav";
    const fs::path saved = dir_ / "saved.wav";
    fs::copy_file(file_, outside);
    fs::rename(file_, saved);
    fs::create_symlink(outside, file_);
    for (const char* method : {"stream", "download"}) {
        auto res = get(method, as_alice() + Query{{"id", song_id_}, {"f", "json"}});
        ASSERT_TRUE(res);
        Json j = Json::parse(res->body, nullptr, false);
        ASSERT_TRUE(j.is_object()) << method << ": " << res->body.substr(0, 100);
        EXPECT_EQ(code(j["subsonic-response"]), 70) << method;
        EXPECT_EQ(xml_code(server_->xml(method, as_alice() + Query{{"id", song_id_}})), "70");
    }
    fs::remove(file_);
    fs::rename(saved, file_);
}

std::string base64(const std::string& bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

// The album's stored cover, for its id, its artist's id (a cover of its own) and its track's id.
TEST_F(SubsonicMedia, CoverArtServesTheStoredImage) {
    Json song = server_->json("getSong", as_alice() + Query{{"id", song_id_}})["song"];
    ASSERT_TRUE(song["albumId"].is_string()) << song.dump();
    const std::string album = song["albumId"].get<std::string>();
    services::CoverService covers(server_->server().runtime().services());
    covers.upsert("album", std::stoll(album.substr(3)), {base64(png_bytes(40, 30)), {}});
    auto stored = covers.image("album", std::stoll(album.substr(3)));
    ASSERT_FALSE(stored.placeholder);
    for (const std::string& id : {album, song_id_}) {
        auto res = get("getCoverArt", as_admin() + Query{{"id", id}, {"size", "600"}});
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 200) << id;
        EXPECT_EQ(res->body, stored.data) << id;
        EXPECT_EQ(res->get_header_value("Content-Type"), stored.mime_type) << id;
        EXPECT_EQ(res->get_header_value("ETag"), "\"" + stored.sha256 + "\"") << id;
        auto again = get("getCoverArt", as_admin() + Query{{"id", id}},
                         {{"If-None-Match", res->get_header_value("ETag")}});
        EXPECT_EQ(again->status, 304) << id;
    }
    // The artist has no cover of its own: the placeholder image, not the album's.
    if (song.contains("artistId")) {
        auto res =
            get("getCoverArt", as_admin() + Query{{"id", song["artistId"].get<std::string>()}});
        EXPECT_EQ(res->status, 200);
        EXPECT_NE(res->body, stored.data);
        EXPECT_EQ(res->get_header_value("Content-Type").rfind("image/", 0), 0u);
    }
}

TEST_F(SubsonicMedia, CoverArtChecksTheRoleAndTheIds) {
    // alice has the default roles: no cover art.
    EXPECT_EQ(code(server_->json("getCoverArt", as_alice() + Query{{"id", song_id_}})), 50);
    EXPECT_EQ(xml_code(server_->xml("getCoverArt", as_alice() + Query{{"id", song_id_}})), "50");
    for (const char* id : {"tr-999999", "al-999999", "ar-999999", "ge-1", "1", "x"}) {
        EXPECT_EQ(code(server_->json("getCoverArt", as_admin() + Query{{"id", id}})), 70) << id;
        EXPECT_EQ(xml_code(server_->xml("getCoverArt", as_admin() + Query{{"id", id}})), "70")
            << id;
    }
    EXPECT_EQ(code(server_->json("getCoverArt", as_admin())), 10);
    EXPECT_EQ(
        code(server_->json("getCoverArt", as_admin() + Query{{"id", song_id_}, {"size", "-5"}})),
        0);
}

}  // namespace
}  // namespace sonique::test
