// /dlna/media and /dlna/art: the original with ranges and HEAD, the MP3 made by ffmpeg, the
// DLNA headers, album art at the DLNA JPEG sizes.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dlna_fixture.hpp"

namespace sonique::test {
namespace {

class DlnaMedia : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        world_ = new DlnaWorld();
        for (auto& o : world_->children_all("m/all", 10))
            tracks_[o.title] = o;
    }
    static void TearDownTestSuite() {
        delete world_;
        world_ = nullptr;
    }
    // The path of a URL the DIDL gave.
    static std::string path_of(const std::string& url) {
        auto p = url.find('/', std::string("http://").size());
        return url.substr(p);
    }
    static inline DlnaWorld* world_ = nullptr;
    static inline std::map<std::string, DidlObject> tracks_;
};

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The width and height in a JPEG's first SOF marker; {0, 0} when there is none.
std::pair<int, int> jpeg_size(const std::string& b) {
    if (b.size() < 4 || static_cast<uint8_t>(b[0]) != 0xFF || static_cast<uint8_t>(b[1]) != 0xD8)
        return {0, 0};
    size_t i = 2;
    while (i + 9 < b.size()) {
        if (static_cast<uint8_t>(b[i]) != 0xFF) return {0, 0};
        uint8_t m = static_cast<uint8_t>(b[i + 1]);
        size_t len = static_cast<uint8_t>(b[i + 2]) << 8 | static_cast<uint8_t>(b[i + 3]);
        if (m >= 0xC0 && m <= 0xC3) {
            int h = static_cast<uint8_t>(b[i + 5]) << 8 | static_cast<uint8_t>(b[i + 6]);
            int w = static_cast<uint8_t>(b[i + 7]) << 8 | static_cast<uint8_t>(b[i + 8]);
            return {w, h};
        }
        i += 2 + len;
    }
    return {0, 0};
}

TEST_F(DlnaMedia, OriginalWithRangeHeadAndDlnaHeaders) {
    const auto& moon = tracks_.at("Moon");
    std::string path = path_of(moon.res.at(0).second);
    std::string file = file_bytes(world_->root() / "Ben Keys" / "Night Shift" / "01 Moon.mp3");
    auto res = world_->client()->Get(path, {{"Range", "bytes=0-99"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 206);
    EXPECT_EQ(res->body, file.substr(0, 100));
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/mpeg");
    EXPECT_EQ(res->get_header_value("transferMode.dlna.org"), "Streaming");
    EXPECT_EQ(res->get_header_value("contentFeatures.dlna.org"),
              "DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS="
              "01700000000000000000000000000000");
    res = world_->client()->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, file);
    res = world_->client()->Head(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Length"), std::to_string(file.size()));
    EXPECT_EQ(res->get_header_value("transferMode.dlna.org"), "Streaming");
    EXPECT_TRUE(res->body.empty());
    // The end of the file and a range past it.
    res = world_->client()->Get(path, {{"Range", "bytes=-10"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 206);
    EXPECT_EQ(res->body, file.substr(file.size() - 10));
    res = world_->client()->Get(path, {{"Range", "bytes=99999999-"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 416);
}

TEST_F(DlnaMedia, UnknownTracksAre404) {
    for (const char* p :
         {"/dlna/media/999999", "/dlna/media/0", "/dlna/media/999999/mp3",
          "/dlna/art/album-999999/TN.jpg", "/dlna/art/user-1/TN.jpg", "/dlna/art/album-1/XL.jpg"}) {
        auto res = world_->client()->Get(p);
        ASSERT_TRUE(res) << p;
        EXPECT_EQ(res->status, 404) << p;
    }
    auto res = world_->client()->Get("/dlna/media/abc");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
}

TEST_F(DlnaMedia, OpusIsAlsoServedAsMp3) {
    const auto& tide = tracks_.at("Tide \"Low\" & <High>");
    ASSERT_EQ(tide.res.size(), 2u);
    std::string path = path_of(tide.res[1].second);
    auto head = world_->client()->Head(path);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->get_header_value("Content-Type"), "audio/mpeg");
    auto res = world_->client()->Get(path);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "audio/mpeg");
    EXPECT_NE(res->get_header_value("contentFeatures.dlna.org").find("DLNA.ORG_CI=1"),
              std::string::npos);
    ASSERT_GT(res->body.size(), 1000u);
    // An ID3 tag or an MPEG audio frame's sync word.
    bool mp3 =
        res->body.starts_with("ID3") || (static_cast<uint8_t>(res->body[0]) == 0xFF &&
                                         (static_cast<uint8_t>(res->body[1]) & 0xE0) == 0xE0);
    EXPECT_TRUE(mp3);
    // The original Opus file is served too.
    res = world_->client()->Get(path_of(tide.res[0].second), {{"Range", "bytes=0-3"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->body, "OggS");
}

TEST_F(DlnaMedia, AlbumArtAtTheDlnaSizes) {
    const auto& dawn = tracks_.at("Dawn");
    auto art = dawn.props.find("upnp:albumArtURI");
    ASSERT_NE(art, dawn.props.end());
    std::string tn = path_of(art->second);
    auto res = world_->client()->Get(tn);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/jpeg");
    EXPECT_NE(res->get_header_value("contentFeatures.dlna.org").find("DLNA.ORG_PN=JPEG_TN"),
              std::string::npos);
    auto [w, h] = jpeg_size(res->body);
    EXPECT_GT(w, 0);
    EXPECT_LE(w, 160);
    EXPECT_LE(h, 160);
    std::string sm = tn.substr(0, tn.size() - std::string("TN.jpg").size()) + "SM.jpg";
    res = world_->client()->Get(sm);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    auto [w2, h2] = jpeg_size(res->body);
    EXPECT_GT(w2, 160);  // made from the 1000 px original, not the 256 px stored cover
    EXPECT_LE(w2, 640);
    EXPECT_LE(h2, 480);
}

}  // namespace
}  // namespace sonique::test
