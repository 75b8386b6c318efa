// path_within: the one containment check (scan requests, root locks, the watcher, discovery,
// the unmounted-root guard, streaming). One table of hostile cases; "@" stands for a temporary
// folder that holds real folders and links, for the rows that resolve their paths first.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/paths.hpp"

namespace sonique {
namespace {
namespace fs = std::filesystem;

struct Row {
    const char* why;
    std::string path;
    std::string root;
    Containment mode;
    bool resolve;  // through resolve_path() first, as callers with links do
    bool within;
};

constexpr auto kIn = Containment::inclusive;
constexpr auto kStrict = Containment::strict;

TEST(PathWithinTest, HostileCases) {
    fs::path tmp = fs::temp_directory_path() / ("sonique-paths-" + std::to_string(::getpid()));
    fs::remove_all(tmp);
    fs::create_directories(tmp / "music/album");
    fs::create_directories(tmp / "outside");
    fs::create_directories(tmp / "music2");
    fs::create_symlink(tmp / "outside", tmp / "music/escape");     // a link out of the root
    fs::create_symlink(tmp / "music", tmp / "musiclink");          // a root that is itself a link
    fs::create_symlink(tmp / "music/album", tmp / "music/inner");  // a link that stays inside

    const Row rows[] = {
        {"a file below the root", "/music/a.flac", "/music", kStrict, false, true},
        {"the root itself, inclusive", "/music", "/music", kIn, false, true},
        {"the root itself, strict", "/music", "/music", kStrict, false, false},
        {"trailing slash on the path", "/music/", "/music", kIn, false, true},
        {"trailing slash on the path, strict", "/music/", "/music", kStrict, false, false},
        {"trailing slash on the root", "/music/a", "/music/", kStrict, false, true},
        {"trailing slashes on both", "/music//", "/music///", kIn, false, true},
        {"sibling prefix", "/music2/a.flac", "/music", kIn, false, false},
        {"sibling prefix, the folder", "/music2", "/music", kIn, false, false},
        {"shorter prefix", "/mus", "/music", kIn, false, false},
        {"parent of the root", "/", "/music", kIn, false, false},
        {"dot-dot out of the root", "/music/../etc/passwd", "/music", kIn, false, false},
        {"dot-dot deeper out of the root", "/music/a/../../etc", "/music", kIn, false, false},
        {"dot-dot back to the root", "/music/a/..", "/music", kStrict, false, false},
        {"dot-dot that stays inside", "/music/a/../b", "/music", kStrict, false, true},
        {"dot-dot through a sibling", "/music2/../music/a", "/music", kStrict, false, true},
        {"dots and double slashes", "/music/./a//b", "/music", kStrict, false, true},
        {"everything is below /", "/etc", "/", kStrict, false, true},
        {"/ itself, strict", "/", "/", kStrict, false, false},
        {"/ itself, inclusive", "/", "/", kIn, false, true},
        {"relative path, absolute root", "music/a", "/music", kIn, false, false},
        {"absolute path, relative root", "/music/a", "music", kIn, false, false},
        {"relative path that climbs", "../a", ".", kIn, false, false},
        {"relative path inside a relative root", "music/a", "music", kStrict, false, true},
        {"empty path", "", "/music", kIn, false, false},
        {"name that is not UTF-8", "/music/\xff\xfe.flac", "/music", kStrict, false, true},
        {"root that is not UTF-8", "/m\xe9lodies/a", "/m\xe9lodies", kStrict, false, true},
        {"sibling that differs in a non-UTF-8 byte", "/music\xff/a", "/music", kIn, false, false},
        {"Latin-1 and UTF-8 spellings differ", "/m\xc3\xa9/a", "/m\xe9", kIn, false, false},
        // Links: lexically inside, really outside; only the resolved answer is safe.
        {"link out of the root, lexically", "@/music/escape/s.flac", "@/music", kStrict, false,
         true},
        {"link out of the root, resolved", "@/music/escape/s.flac", "@/music", kStrict, true,
         false},
        {"link out of the root, the link itself", "@/music/escape", "@/music", kIn, true, false},
        {"link that stays inside, resolved", "@/music/inner/a.flac", "@/music", kStrict, true,
         true},
        {"root that is a link, path by its target", "@/music/album/a.flac", "@/musiclink", kStrict,
         true, true},
        {"path through a root link, root by its target", "@/musiclink/album", "@/music", kStrict,
         true, true},
        {"root link itself, inclusive", "@/musiclink", "@/music", kIn, true, true},
        {"root link itself, strict", "@/musiclink/", "@/music", kStrict, true, false},
        {"dot-dot out after resolving", "@/music/album/../../outside", "@/music", kIn, true, false},
        {"real sibling prefix", "@/music2", "@/music", kIn, true, false},
        {"missing file below the root", "@/music/album/new.flac", "@/music", kStrict, true, true},
    };
    auto expand = [&](const std::string& s) {
        return s.starts_with("@") ? tmp.string() + s.substr(1) : s;
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.why);
        fs::path path = expand(row.path), root = expand(row.root);
        if (row.resolve) {
            path = resolve_path(path);
            root = resolve_path(root);
        }
        EXPECT_EQ(path_within(path, root, row.mode), row.within) << path << " in " << root;
    }
    fs::remove_all(tmp);
}

TEST(PathWithinTest, NormalPathDropsTrailingSlashesButKeepsTheRoot) {
    EXPECT_EQ(normal_path("/music/"), fs::path("/music"));
    EXPECT_EQ(normal_path("/music/./a/../b//"), fs::path("/music/b"));
    EXPECT_EQ(normal_path("/"), fs::path("/"));
    EXPECT_EQ(normal_path("//"), fs::path("/"));
}

}  // namespace
}  // namespace sonique
