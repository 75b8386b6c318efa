// Splitting of multi-valued tags and the small tag parsers; discovery's name rules.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "discovery.hpp"
#include "tag_split.hpp"

namespace sonique::scanner {
namespace {

using V = std::vector<std::string>;

TEST(TagSplit, SplitsOnSeparatorsAndTrims) {
    SplitRules r;
    EXPECT_EQ(split_values("Alice; Bob", r), (V{"Alice", "Bob"}));
    EXPECT_EQ(split_values("Alice feat. Bob / Carol", r), (V{"Alice", "Bob", "Carol"}));
    EXPECT_EQ(split_values("Alice FT. Bob", r), (V{"Alice", "Bob"}));
    EXPECT_EQ(split_values("  Solo  ", r), (V{"Solo"}));
    EXPECT_EQ(split_values(";;", r), V{});
}

TEST(TagSplit, KeepsExceptionsWhole) {
    SplitRules r;
    EXPECT_EQ(split_values("AC/DC", r), (V{"AC/DC"}));
    EXPECT_EQ(split_values("ac/dc; Bob", r), (V{"ac/dc", "Bob"}));
    EXPECT_EQ(split_values("Bob/AC/DC", r), (V{"Bob", "AC/DC"}));
    r.exceptions.push_back("Simon/Garfunkel");
    EXPECT_EQ(split_values("Simon/Garfunkel", r), (V{"Simon/Garfunkel"}));
}

TEST(TagSplit, ConfigurableSeparatorsAndDuplicates) {
    SplitRules r;
    r.separators = {","};
    EXPECT_EQ(split_values("Rock, Pop, rock", r), (V{"Rock", "Pop"}));
    EXPECT_EQ(split_values("A/B", r), (V{"A/B"}));
    EXPECT_EQ(split_all({"A, B", "B", "C"}, r), (V{"A", "B", "C"}));
}

TEST(TagSplit, Parsers) {
    EXPECT_EQ(total_of("3/12"), 12);
    EXPECT_EQ(total_of("3"), std::nullopt);
    EXPECT_TRUE(truthy("1"));
    EXPECT_TRUE(truthy("TRUE"));
    EXPECT_FALSE(truthy("0"));
    EXPECT_DOUBLE_EQ(*leading_double("-6.50 dB"), -6.5);
    EXPECT_EQ(leading_double("dB"), std::nullopt);
    EXPECT_EQ(year_of("2001-05-02"), "2001");
    EXPECT_EQ(year_of("20011"), std::nullopt);
    std::optional<std::string> key, scale;
    parse_key("C#m", key, scale);
    EXPECT_EQ(key, "C#");
    EXPECT_EQ(scale, "minor");
    key.reset();
    scale.reset();
    parse_key("Eb", key, scale);
    EXPECT_EQ(key, "Eb");
    EXPECT_EQ(scale, "major");
}

TEST(Discovery, SkipsHiddenForksAndTrash) {
    EXPECT_TRUE(skipped_name(".hidden"));
    EXPECT_TRUE(skipped_name("._song.mp3"));
    EXPECT_TRUE(skipped_name("@eaDir"));
    EXPECT_TRUE(skipped_name("#recycle"));
    EXPECT_TRUE(skipped_name("$RECYCLE.BIN"));
    EXPECT_FALSE(skipped_name("song.mp3"));
    EXPECT_TRUE(is_audio_name("A.FLAC"));
    EXPECT_TRUE(is_audio_name("b.Opus"));
    EXPECT_TRUE(is_audio_name("ring.m4r"));  // MP4 audio TagLib 1.13 reads
    EXPECT_TRUE(is_audio_name("bought.M4P"));
    EXPECT_FALSE(is_audio_name("cover.jpg"));
    EXPECT_FALSE(is_audio_name("mp3"));
}

TEST(Discovery, LyricsSidecarsMustBeRegularFilesInsideTheRoots) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("sonique-sidecar-" + std::to_string(getpid()));
    fs::path outside = root.string() + "-outside";
    fs::create_directories(root);
    fs::create_directories(outside);
    for (const char* name : {"a.mp3", "a.lrc", "b.mp3", "c.mp3", "c.txt"})
        std::ofstream(root / name) << "x";
    ASSERT_EQ(::mkfifo((root / "b.lrc").c_str(), 0644), 0);  // would block a reader
    std::ofstream(outside / "d.lrc") << "x";
    std::ofstream(root / "d.mp3") << "x";
    fs::create_symlink(outside / "d.lrc", root / "d.lrc");  // leads outside the roots
    auto found = discover(root.string(), {fs::canonical(root).string()});
    std::map<std::string, std::string> sidecar;
    for (const auto& f : found.files)
        sidecar[fs::path(f.path).filename().string()] = f.sidecar;
    EXPECT_EQ(sidecar.size(), 4u);
    EXPECT_EQ(sidecar["a.mp3"], (root / "a.lrc").string());
    EXPECT_EQ(sidecar["b.mp3"], "");
    EXPECT_EQ(sidecar["c.mp3"], (root / "c.txt").string());
    EXPECT_EQ(sidecar["d.mp3"], "");
    fs::remove_all(root);
    fs::remove_all(outside);
}

// Links inside the roots: one to a folder the walk reaches anyway is not followed (the file
// would be found twice, and a folder's scan would "move" it to the link's path); one into a
// hidden folder is; one leading outside the roots is not; a loop ends.
TEST(Discovery, LinksFindEachFileUnderOnePath) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("sonique-links-" + std::to_string(getpid()));
    fs::path outside = root.string() + "-outside";
    for (const char* rel : {"real/a.mp3", ".stash/b.mp3", "links/keep.mp3"}) {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << "x";
    }
    fs::create_directories(outside);
    std::ofstream(outside / "c.mp3") << "x";
    fs::create_directory_symlink(root / "real", root / "links/real-link");
    fs::create_symlink(root / "real/a.mp3", root / "links/a-link.mp3");
    fs::create_directory_symlink(root / ".stash", root / "links/stash-link");
    fs::create_directory_symlink(outside, root / "links/outside-link");
    fs::create_directory_symlink(root / "links", root / "links/loop");
    // Followed: the walk skips a folder whose name is not UTF-8, and a file without an audio
    // extension.
    fs::create_directories(root / "Bj\xf6rk");
    std::ofstream(root / "Bj\xf6rk/d.mp3") << "x";
    fs::create_directory_symlink(root / "Bj\xf6rk", root / "links/bjork");
    std::ofstream(root / "real/blob") << "x";
    fs::create_symlink(root / "real/blob", root / "links/e.mp3");
    std::string canon = fs::canonical(root).string();
    for (const fs::path& dir : {root, root / "links"}) {
        auto found = discover(dir.string(), {canon});
        std::vector<std::string> paths;
        for (const auto& f : found.files)
            paths.push_back(fs::path(f.path).lexically_relative(root).string());
        std::sort(paths.begin(), paths.end());
        if (dir == root)
            EXPECT_EQ(paths, V({"links/bjork/d.mp3", "links/e.mp3", "links/keep.mp3",
                                "links/stash-link/b.mp3", "real/a.mp3"}));
        else  // a folder's scan (--watch) does not pick up real/ through its link
            EXPECT_EQ(paths, V({"links/bjork/d.mp3", "links/e.mp3", "links/keep.mp3",
                                "links/stash-link/b.mp3"}));
    }
    fs::remove_all(root);
    fs::remove_all(outside);
}

TEST(Discovery, AFoldersFilesComeTogetherBeforeItsSubfolders) {
    namespace fs = std::filesystem;
    fs::path root = fs::temp_directory_path() / ("sonique-order-" + std::to_string(getpid()));
    for (const char* rel : {"Album/01.mp3", "Album/CD2/01.mp3", "Album/zz.mp3", "Album B/01.mp3",
                            "Album/CD1/02.mp3", "Album/CD1/01.mp3"}) {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << "x";
    }
    auto found = discover(root.string(), {fs::canonical(root).string()});
    std::vector<std::string> order;
    for (const auto& f : found.files)
        order.push_back(fs::relative(f.path, root).string());
    // By plain path order "Album/CD1/..." and "Album/CD2/..." would sit between "Album/01.mp3"
    // and "Album/zz.mp3".
    EXPECT_EQ(order, V({"Album/01.mp3", "Album/zz.mp3", "Album B/01.mp3", "Album/CD1/01.mp3",
                        "Album/CD1/02.mp3", "Album/CD2/01.mp3"}));
    fs::remove_all(root);
}

}  // namespace
}  // namespace sonique::scanner
