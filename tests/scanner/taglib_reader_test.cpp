// The TagLib reader on generated files (known tags) and on every odd fixture, each read in a
// child process so that a crash fails the test instead of killing the suite.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "core/strings.hpp"
#include "discovery.hpp"
#include "scanner/demo_library.hpp"
#include "scanner/file_processor.hpp"
#include "scanner/tag_reader.hpp"
#include "support/test_env.hpp"

namespace sonique::scanner {
namespace {
namespace fs = std::filesystem;

bool is_valid_utf8_all(const TrackInfo& t) {
    bool ok = is_valid_utf8(t.title) && is_valid_utf8(t.album_artist) &&
              is_valid_utf8(t.album.value_or(""));
    for (const auto& a : t.artists)
        ok = ok && is_valid_utf8(a);
    for (const auto& g : t.genres)
        ok = ok && is_valid_utf8(g);
    return ok && t.title.find('\0') == std::string::npos;
}

class TagLibReaderTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new std::string(fs::temp_directory_path() /
                               ("sonique-reader-" + test::unique_suffix()));
        DemoOptions o;
        o.files = 30;
        o.missing_percent = 0;
        o.cover_percent = 100;
        ASSERT_EQ(generate_library(*dir_, o), 30u);
    }
    static void TearDownTestSuite() {
        fs::remove_all(*dir_);
        delete dir_;
    }
    static std::string* dir_;
};
std::string* TagLibReaderTest::dir_ = nullptr;

TEST_F(TagLibReaderTest, ReadsGeneratedTagsOfEveryFormat) {
    auto reader = make_taglib_reader(SplitRules{});
    Discovery d = discover(*dir_, {});
    ASSERT_EQ(d.files.size(), 30u);
    std::set<std::string> mimes;
    int multi = 0, pictures = 0;
    for (const auto& f : d.files) {
        ReadOutcome o = reader->read(f);
        ASSERT_TRUE(o.track) << f.path << ": " << o.error;
        const TrackInfo& t = *o.track;
        EXPECT_FALSE(t.title.empty()) << f.path;
        EXPECT_FALSE(t.artists.empty()) << f.path;
        EXPECT_TRUE(t.album) << f.path;
        EXPECT_TRUE(t.track_number) << f.path;
        EXPECT_EQ(t.track_total, 10) << f.path;
        EXPECT_TRUE(t.duration) << f.path;
        mimes.insert(t.mime_type);
        multi += t.artists.size() > 1;
        pictures += !t.picture.empty();
    }
    EXPECT_EQ(mimes, (std::set<std::string>{"audio/mpeg", "audio/flac", "audio/wav"}));
    EXPECT_GE(multi, 1);  // "A feat. B" split into two artists
    EXPECT_EQ(pictures, 30);
}

// The benchmark's realistic covers: photo-like JPEGs embedded in every format, normalised to
// 256 px WebP, one picture per album.
TEST(DemoLibrary, PhotoCoversAreEmbeddedAndNormalised) {
    std::string dir = fs::temp_directory_path() / ("sonique-photo-" + test::unique_suffix());
    DemoOptions o;
    o.files = 20;
    o.cover_percent = 100;
    o.cover_side = 600;
    ASSERT_EQ(generate_library(dir, o), 20u);
    auto reader = make_taglib_reader(SplitRules{});
    FileProcessor processor(*reader, CoverRules{});
    std::set<std::string> covers;
    for (const auto& f : discover(dir, {}).files) {
        ReadOutcome o = processor.process(f);
        ASSERT_TRUE(o.track) << f.path << ": " << o.error;
        ASSERT_TRUE(o.track->album_cover) << f.path;
        EXPECT_EQ(o.track->album_cover->width, 256) << f.path;
        EXPECT_EQ(o.track->album_cover->mime_type, "image/webp");
        covers.insert(o.track->album_cover->sha256);
    }
    EXPECT_EQ(covers.size(), 2u);  // two albums of ten files
    fs::remove_all(dir);
}

TEST_F(TagLibReaderTest, FallbacksFromPath) {
    TrackInfo t;
    t.file.path = "/music/Some Folder/07 - Song Name.mp3";
    apply_fallbacks(t);
    EXPECT_EQ(t.title, "07 - Song Name");
    EXPECT_EQ(t.album, "Some Folder");
    EXPECT_EQ(t.artists, std::vector<std::string>{"Unknown Artist"});
    TrackInfo u;
    u.file.path = "/m/a/x.mp3";
    u.album_artist = "Band";
    apply_fallbacks(u);
    EXPECT_EQ(u.artists, std::vector<std::string>{"Band"});
}

TEST(TagLibReaderOdd, EveryOddFixtureReadsOrFailsCleanly) {
    std::string dir = test::fixtures_dir() + "/odd-audio";
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    int files = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        ++files;
        pid_t pid = fork();
        if (pid == 0) {
            alarm(20);
            auto reader = make_taglib_reader(SplitRules{});
            FileEntry f{e.path().string(), 0, 0, {}, {}};
            ReadOutcome o = reader->read(f);
            bool ok = o.track ? is_valid_utf8_all(*o.track) : !o.error.empty();
            _exit(ok ? 0 : 3);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        // A crash here is tolerated by the scanner (worker processes) but recorded for review.
        if (WIFSIGNALED(status)) {
            RecordProperty("crash_" + e.path().filename().string(), WTERMSIG(status));
            continue;
        }
        EXPECT_EQ(WEXITSTATUS(status), 0) << e.path();
    }
    EXPECT_GE(files, 100);
}

}  // namespace
}  // namespace sonique::scanner
