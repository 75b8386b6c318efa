// The unmounted-library guard: a library root that is missing, unreadable or empty while the
// database holds tracks under it loses nothing; a folder emptied inside a root does.
#include <unistd.h>

#include "scan_fixture.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

class RootGuard : public ScanFixture {
  protected:
    void library() {
        file("A/1.mp3", "title=One\nartist=Alice\nalbum=First");
        file("A/2.mp3", "title=Two\nartist=Alice\nalbum=First");
        file("B/3.mp3", "title=Three\nartist=Bob\nalbum=Second");
        ASSERT_EQ(scan().added, 3);
    }
    int64_t tracks() { return count("SELECT count(*) FROM tracks"); }
    // The one scan error recorded for the root, which must say that nothing went.
    void expect_root_error() {
        auto reasons = errors_of(root_.string());
        ASSERT_EQ(reasons.size(), 1u);
        EXPECT_NE(reasons[0].find("library root is missing or empty; nothing was removed"),
                  std::string::npos)
            << reasons[0];
    }
};

TEST_F(RootGuard, EmptyRootKeepsItsTracks) {
    library();
    // Unmounted: the mount point is an empty folder, at most with a note or lost+found.
    fs::path disk = root_.string() + "-disk";
    fs::create_directories(disk);
    fs::rename(root_ / "A", disk / "A");
    fs::rename(root_ / "B", disk / "B");
    file("NOT_MOUNTED.txt", "the NAS is not mounted");
    fs::create_directories(root_ / "lost+found");
    auto s = scan();
    EXPECT_FALSE(s.cancelled);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(s.errors, 1);
    EXPECT_EQ(tracks(), 3);
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 2);
    expect_root_error();

    // Mounted again: everything is found unchanged.
    fs::rename(disk / "A", root_ / "A");
    fs::rename(disk / "B", root_ / "B");
    fs::remove_all(disk);
    s = scan();
    EXPECT_EQ(s.unchanged, 3);
    EXPECT_EQ(s.added + s.updated + s.removed + s.errors, 0);
}

TEST_F(RootGuard, MissingRootKeepsItsTracksAndScanFinishes) {
    library();
    fs::path away = root_.string() + "-away";
    fs::rename(root_, away);
    auto s = scan();
    fs::rename(away, root_);
    EXPECT_FALSE(s.cancelled);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(tracks(), 3);
    expect_root_error();
    EXPECT_EQ(scan().unchanged, 3);
}

TEST_F(RootGuard, UnreadableRootKeepsItsTracks) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads any folder";
    library();
    fs::permissions(root_, fs::perms::none);
    auto s = scan();
    fs::permissions(root_, fs::perms::owner_all);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(tracks(), 3);
    expect_root_error();
}

TEST_F(RootGuard, WithoutCleanupTheRootIsStillReported) {
    library();
    fs::remove_all(root_ / "A");
    fs::remove_all(root_ / "B");
    ScanOptions o;
    o.cleanup = false;
    EXPECT_EQ(scan(o).removed, 0);
    expect_root_error();
    EXPECT_EQ(tracks(), 3);
}

TEST_F(RootGuard, EmptyRootWithoutTracksIsNoError) {
    EXPECT_EQ(scan().errors, 0);
    EXPECT_TRUE(errors_of(root_.string()).empty());
}

TEST_F(RootGuard, FolderEmptiedInsideARootIsARealDeletion) {
    library();
    fs::remove(root_ / "A/1.mp3");
    fs::remove(root_ / "A/2.mp3");  // A stays, empty: what a watch scan of A then sees
    ScanOptions o;
    o.directories = {path("A")};
    o.library_roots = {root_.string() + "/"};
    auto s = scan(o);
    EXPECT_EQ(s.removed, 2);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(tracks(), 1);
    EXPECT_EQ(count("SELECT count(*) FROM albums WHERE title = 'First'"), 0);
}

// A NAS mounted at a folder inside the root: unmounted, its mount point is an empty folder.
class MountPointGuard : public RootGuard {
  protected:
    void SetUp() override {
        RootGuard::SetUp();
        file("My NAS/A/1.mp3", "title=One\nartist=Alice\nalbum=First");
        file("My NAS/A/2.mp3", "title=Two\nartist=Alice\nalbum=First");
        file("B/3.mp3", "title=Three\nartist=Bob\nalbum=Second");
        ASSERT_EQ(scan().added, 3);
        disk_ = root_.string() + "-disk";
        fs::create_directories(disk_);
        fs::rename(root_ / "My NAS" / "A", disk_ / "A");  // "unmount"
        // fstab escapes the space; the mounts table lists something else.
        std::string nas = (root_ / "My NAS").string();
        nas.replace(nas.find(' '), 1, "\\040");
        file("fstab.txt", "# comment\n//nas/music " + nas + " cifs ro 0 0\n");
        file("mounts.txt", "proc /proc proc rw 0 0\n");
        options_.library_roots = {root_.string()};
        options_.mount_tables = {path("fstab.txt"), path("mounts.txt"), path("missing.txt")};
    }
    void TearDown() override {
        fs::remove_all(disk_);
        RootGuard::TearDown();
    }
    fs::path disk_;
    ScanOptions options_;
};

TEST_F(MountPointGuard, EmptyMountPointKeepsTheTracksUnderIt) {
    auto s = scan(options_);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(tracks(), 3);
    EXPECT_EQ(count("SELECT count(*) FROM albums WHERE title = 'First'"), 1);
    auto reasons = errors_of(path("My NAS"));
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("mount point is empty; nothing under it was removed (2 tracks"),
              std::string::npos)
        << reasons[0];
    // Mounted again: nothing to do.
    fs::rename(disk_ / "A", root_ / "My NAS" / "A");
    s = scan(options_);
    EXPECT_EQ(s.unchanged, 3);
    EXPECT_EQ(s.added + s.updated + s.removed + s.errors, 0);
}

TEST_F(MountPointGuard, ScanOfTheEmptyMountPointItselfKeepsItsTracks) {
    options_.directories = {path("My NAS")};  // what a watch scan of that folder does
    auto s = scan(options_);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(tracks(), 3);
    EXPECT_EQ(errors_of(path("My NAS")).size(), 1u);
}

TEST_F(MountPointGuard, EmptyRootThatIsAMountPointGetsOneError) {
    fs::rename(root_ / "B", disk_ / "B");
    fs::remove(root_ / "fstab.txt");
    fs::remove(root_ / "mounts.txt");
    fs::remove_all(root_ / "My NAS");
    std::ofstream(disk_ / "fstab") << "//nas/all " << root_.string() << " cifs ro 0 0\n";
    options_.mount_tables = {(disk_ / "fstab").string()};
    auto s = scan(options_);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(tracks(), 3);
    expect_root_error();
}

TEST_F(MountPointGuard, EmptyFolderThatIsNoMountPointIsARealDeletion) {
    options_.mount_tables = {path("mounts.txt")};
    auto s = scan(options_);
    EXPECT_EQ(s.removed, 2);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(tracks(), 1);
}

TEST_F(MountPointGuard, MountPointWithFilesIsScannedNormally) {
    file("My NAS/C/4.mp3", "title=Four\nartist=Carol\nalbum=Third");
    auto s = scan(options_);
    EXPECT_EQ(s.added, 1);
    EXPECT_EQ(s.removed, 2);  // the mount point is not empty: A's files are really gone
    EXPECT_EQ(s.errors, 0);
}

TEST_F(RootGuard, RootWithSomeFilesLeftIsScannedNormally) {
    library();
    fs::remove_all(root_ / "A");
    ScanOptions o;
    o.library_roots = {root_.string()};
    auto s = scan(o);
    EXPECT_EQ(s.removed, 2);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(tracks(), 1);
}

}  // namespace
}  // namespace sonique::test
