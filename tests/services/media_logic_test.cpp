// Pure logic behind the media routes: range plans, HTTP dates, MIME types, base64 input,
// path templates, root confinement.
#include <gtest/gtest.h>

#include "media_rules.hpp"
#include "services/covers.hpp"
#include "services/settings.hpp"
#include "services/stream.hpp"

namespace sonique::services {
namespace {

RangePlan plan(int64_t first, int64_t last, int64_t size) {
    return plan_range({{first, last}}, size);
}

TEST(RangePlan, Cases) {
    EXPECT_EQ(plan_range({}, 100).outcome, RangeOutcome::kFull);
    auto p = plan(0, 0, 100);
    EXPECT_EQ(p.outcome, RangeOutcome::kPartial);
    EXPECT_EQ(p.start, 0);
    EXPECT_EQ(p.length, 1);
    p = plan(-1, 1, 100);  // bytes=-1
    EXPECT_EQ(p.start, 99);
    EXPECT_EQ(p.length, 1);
    p = plan(50, -1, 100);  // bytes=50-
    EXPECT_EQ(p.start, 50);
    EXPECT_EQ(p.length, 50);
    p = plan(90, 5000, 100);  // clamped
    EXPECT_EQ(p.length, 10);
    EXPECT_EQ(plan(100, -1, 100).outcome, RangeOutcome::kUnsatisfiable);
    EXPECT_EQ(plan(-1, 0, 100).outcome, RangeOutcome::kUnsatisfiable);
    EXPECT_EQ(plan(0, 0, 0).outcome, RangeOutcome::kUnsatisfiable);
    EXPECT_EQ(plan_range({{0, 1}, {5, 6}}, 100).outcome, RangeOutcome::kFull);
}

TEST(HttpDate, RoundTrip) {
    EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    EXPECT_FALSE(parse_http_date("yesterday"));
    EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

TEST(AudioMime, FromTypeOrExtension) {
    EXPECT_EQ(audio_mime_type(std::string("audio/flac"), "/a/b.mp3"), "audio/flac");
    EXPECT_EQ(audio_mime_type(std::nullopt, "/a/B.MP3"), "audio/mpeg");
    EXPECT_EQ(audio_mime_type(std::string("flac"), "/a/b.ogg"), "audio/ogg");
    EXPECT_EQ(audio_mime_type(std::nullopt, "/a.dir/noext"), "application/octet-stream");
}

TEST(InsideRoots, PrefixIsAPathBoundary) {
    EXPECT_TRUE(inside_roots("/tmp/x", {"/tmp"}));
    EXPECT_FALSE(inside_roots("/tmpx/y", {"/tmp"}));
    EXPECT_FALSE(inside_roots("/etc/passwd", {"/nonexistent-root", "/tmp"}));
}

TEST(CoverData, Base64Forms) {
    EXPECT_EQ(decode_cover_data("QUJD"), "ABC");
    EXPECT_EQ(decode_cover_data("QUI="), "AB");
    EXPECT_EQ(decode_cover_data("QUI"), "AB");
    EXPECT_EQ(decode_cover_data("data:image/png;base64,QUJD"), "ABC");
    EXPECT_EQ(decode_cover_data("QU\nJD"), "ABC");
    EXPECT_FALSE(decode_cover_data("data:image/png,QUJD"));
    EXPECT_FALSE(decode_cover_data("QUJD!"));
    EXPECT_FALSE(decode_cover_data(""));
    EXPECT_FALSE(decode_cover_data("data:;base64,"));
}

TEST(PathTemplate, Validation) {
    EXPECT_TRUE(valid_path_template(path_variables()["example"].get<std::string>()));
    EXPECT_TRUE(valid_path_template("{artist} - {title}"));
    EXPECT_FALSE(valid_path_template(""));
    EXPECT_FALSE(valid_path_template("{artist}/../{title}"));
    EXPECT_FALSE(valid_path_template("{artist}/{title}/"));
    EXPECT_FALSE(valid_path_template("{{artist}}"));
    EXPECT_FALSE(valid_path_template("{artist}}"));
    EXPECT_FALSE(valid_path_template("a\\{title}"));
}

}  // namespace
}  // namespace sonique::services
