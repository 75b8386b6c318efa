// The folders `serve --watch` watches, on a real inotify instance: moved and renamed folders
// (and their subfolders) keep being scanned at their new paths, a link loop is watched once, and
// a queue overflow asks for every root.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "scanner/watch_tree.hpp"
#include "support/test_env.hpp"

namespace sonique::scanner {
namespace {
namespace fs = std::filesystem;
using Dirty = std::set<std::string>;

class WatchTreeTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = (fs::temp_directory_path() / ("sonique-watch-" + test::unique_suffix())).string();
        fs::create_directories(root_ + "/Artist/Album/CD1");
        fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        ASSERT_GE(fd_, 0);
    }
    void TearDown() override {
        ::close(fd_);
        fs::remove_all(root_);
    }
    // Applies the events queued so far; returns the folders they ask to scan.
    Dirty drain(WatchTree& tree) {
        Dirty dirty;
        alignas(inotify_event) char buf[16384];
        pollfd p{fd_, POLLIN, 0};
        while (::poll(&p, 1, 100) > 0) {
            ssize_t n = ::read(fd_, buf, sizeof buf);
            if (n <= 0) break;
            for (char* at = buf; at < buf + n;) {
                auto* ev = reinterpret_cast<inotify_event*>(at);
                at += sizeof(inotify_event) + ev->len;
                tree.apply(ev->wd, ev->mask, ev->len ? ev->name : "", dirty);
            }
        }
        return dirty;
    }
    // The folder whose changes the tree reports for a file written into dir.
    std::string scanned_for_write_in(WatchTree& tree, const std::string& dir) {
        std::ofstream(dir + "/new.mp3") << "x";
        Dirty d = drain(tree);
        return d.size() == 1 ? *d.begin() : "(" + std::to_string(d.size()) + " folders)";
    }
    std::string root_;
    int fd_ = -1;
};

TEST_F(WatchTreeTest, WatchesEveryFolderAndReportsTheChangedOne) {
    WatchTree tree(fd_, {root_ + "/"});
    EXPECT_EQ(tree.size(), 4u);
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Artist/Album"), root_ + "/Artist/Album");
}

TEST_F(WatchTreeTest, RenamedFolderAndItsSubfoldersAreScannedAtTheirNewPaths) {
    WatchTree tree(fd_, {root_});
    fs::rename(root_ + "/Artist/Album", root_ + "/Artist/Album (2001)");
    Dirty d = drain(tree);
    EXPECT_TRUE(d.count(root_ + "/Artist")) << "the parent lists the rename";
    EXPECT_EQ(tree.size(), 4u);
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Artist/Album (2001)"),
              root_ + "/Artist/Album (2001)");
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Artist/Album (2001)/CD1"),
              root_ + "/Artist/Album (2001)/CD1");
}

TEST_F(WatchTreeTest, FolderMovedUnderAnotherParentIsScannedThere) {
    fs::create_directories(root_ + "/Other");
    WatchTree tree(fd_, {root_});
    fs::rename(root_ + "/Artist/Album", root_ + "/Other/Album");
    Dirty d = drain(tree);
    EXPECT_TRUE(d.count(root_ + "/Artist") && d.count(root_ + "/Other"));
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Other/Album/CD1"), root_ + "/Other/Album/CD1");
}

TEST_F(WatchTreeTest, FolderMovedOutOfTheRootsIsNoLongerWatched) {
    const std::string away = root_ + "-away";
    fs::create_directories(away);
    WatchTree tree(fd_, {root_});
    fs::rename(root_ + "/Artist/Album", away + "/Album");
    Dirty d = drain(tree);
    EXPECT_EQ(d, Dirty{root_ + "/Artist"});
    EXPECT_EQ(tree.size(), 2u);
    EXPECT_EQ(scanned_for_write_in(tree, away + "/Album/CD1"), "(0 folders)");
    fs::remove_all(away);
}

TEST_F(WatchTreeTest, LinksToWatchedFoldersAreNotWalkedAgain) {
    fs::create_directory_symlink(root_ + "/Artist", root_ + "/Artist/Album/loop");
    WatchTree tree(fd_, {root_});
    EXPECT_EQ(tree.size(), 4u);
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Artist/Album"), root_ + "/Artist/Album");
    // A new folder holding a link to a watched one: the link is not taken for a move.
    fs::create_directories(root_ + "/New");
    fs::create_directory_symlink(root_ + "/Artist", root_ + "/New/link");
    drain(tree);
    EXPECT_EQ(tree.size(), 5u);
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/Artist/Album"), root_ + "/Artist/Album");
}

// A link to a folder of another root is not followed (discovery does not follow it either): the
// folder is watched under its own path, so moving the link's folder away keeps it watched.
TEST_F(WatchTreeTest, LinkedFolderOfAnotherRootStaysWatchedWhenTheLinkMovesAway) {
    const std::string other = root_ + "-other", away = root_ + "-away";
    fs::create_directories(other + "/B");
    fs::create_directories(away);
    fs::create_directory_symlink(other + "/B", root_ + "/Artist/link");
    WatchTree tree(fd_, {root_, other});  // root_ is walked first: its link is met first
    EXPECT_EQ(tree.size(), 6u);
    fs::rename(root_ + "/Artist", away + "/Artist");
    drain(tree);
    EXPECT_EQ(scanned_for_write_in(tree, other + "/B"), other + "/B");
    fs::remove_all(other);
    fs::remove_all(away);
}

TEST_F(WatchTreeTest, QueueOverflowScansEveryRootAndWatchesNewFolders) {
    fs::create_directories(root_ + "/second");
    WatchTree tree(fd_, {root_ + "/Artist", root_ + "/second"});
    EXPECT_EQ(tree.size(), 4u);
    // Folders made while events were being lost (none of theirs is read here).
    fs::create_directories(root_ + "/second/Lost/Deeper");
    Dirty d;
    EXPECT_TRUE(tree.apply(-1, IN_Q_OVERFLOW, "", d));
    EXPECT_EQ(d, (Dirty{root_ + "/Artist", root_ + "/second"}));
    EXPECT_EQ(tree.size(), 6u);
    drain(tree);
    EXPECT_EQ(scanned_for_write_in(tree, root_ + "/second/Lost/Deeper"),
              root_ + "/second/Lost/Deeper");
}

}  // namespace
}  // namespace sonique::scanner
