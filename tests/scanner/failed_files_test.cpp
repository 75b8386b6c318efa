// Failed files are remembered with their size and mtime: not read again while unchanged (but
// still reported), read again when changed, forgotten when read successfully or deleted.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan_fixture.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

// TagLib cannot read this fixture (a truncated Ogg FLAC stream).
constexpr const char* kBroken = "segfault.oga";

class FailedFiles : public ScanFixture {
  protected:
    int64_t remembered(const std::string& p) {
        return count("SELECT count(*) FROM scan_failures WHERE path = $1", db::Params(p));
    }
    // Sets the file's mtime to `seconds` since the epoch.
    static void set_mtime(const std::string& p, time_t seconds) {
        timespec times[2] = {{seconds, 0}, {seconds, 0}};
        ASSERT_EQ(::utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
    }
    int64_t session_column(const char* column) {
        return count(std::string("SELECT ") + column + " FROM scan_sessions WHERE id = $1",
                     db::Params(last_session_));
    }
};

TEST_F(FailedFiles, BrokenFileIsReadOnceThenRememberedUntilItChanges) {
    ScanOptions taglib;
    taglib.taglib = true;
    fixture(kBroken, "Album/broken.oga");
    fixture("lame_cbr.mp3", "Album/good.mp3");
    const std::string broken = path("Album/broken.oga");

    auto first = scan(taglib);
    EXPECT_EQ(first.found, 2);
    EXPECT_EQ(first.added, 1);
    EXPECT_EQ(first.errors, 1);
    EXPECT_EQ(first.failed_unchanged, 0);
    EXPECT_EQ(remembered(broken), 1);
    EXPECT_EQ(count("SELECT file_size FROM scan_failures WHERE path = $1", db::Params(broken)),
              static_cast<int64_t>(fs::file_size(broken)));

    // Unchanged: not read again, but still one scan error of the session, counted as processed.
    auto second = scan(taglib);
    EXPECT_EQ(second.found, 2);
    EXPECT_EQ(second.unchanged, 1);
    EXPECT_EQ(second.failed_unchanged, 1);
    EXPECT_EQ(second.errors, 1);
    auto reasons = errors_of(broken);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_NE(reasons[0].find("not read again"), std::string::npos) << reasons[0];
    EXPECT_EQ(session_column("processed_files"), 2);
    EXPECT_EQ(session_column("total_files"), 2);
    EXPECT_EQ(session_column("error_count"), 1);

    // A new mtime: read again (and still broken).
    set_mtime(broken, 1'600'000'000);
    auto third = scan(taglib);
    EXPECT_EQ(third.failed_unchanged, 0);
    EXPECT_EQ(third.errors, 1);
    reasons = errors_of(broken);
    ASSERT_EQ(reasons.size(), 1u);
    EXPECT_EQ(reasons[0].find("not read again"), std::string::npos) << reasons[0];
    EXPECT_EQ(
        count("SELECT file_mtime::bigint FROM scan_failures WHERE path = $1", db::Params(broken)),
        1'600'000'000);
    EXPECT_EQ(scan(taglib).failed_unchanged, 1);

    // Repaired (another size): imported, and the failure is forgotten.
    fixture("empty_vorbis.oga", "Album/broken.oga");
    auto repaired = scan(taglib);
    EXPECT_EQ(repaired.errors, 0);
    EXPECT_EQ(repaired.added, 1);
    EXPECT_EQ(remembered(broken), 0);
}

TEST_F(FailedFiles, AFileThatTimedOutIsReadOnceMoreBeforeItIsSkipped) {
    file("Slow/hang.mp3", "hang");  // the fake reader never returns on this one
    file("Slow/ok.mp3", "title=Fine");
    const std::string hang = path("Slow/hang.mp3");
    ScanOptions quick;
    quick.file_timeout = std::chrono::milliseconds(300);
    auto attempts = [&] {
        return count("SELECT attempts FROM scan_failures WHERE path = $1", db::Params(hang));
    };

    auto first = scan(quick);
    EXPECT_EQ(first.errors, 1);
    EXPECT_EQ(attempts(), 1);
    ASSERT_EQ(errors_of(hang).size(), 1u);
    EXPECT_NE(errors_of(hang)[0].find("timed out"), std::string::npos) << errors_of(hang)[0];

    // The machine may only have been busy: read again.
    auto second = scan(quick);
    EXPECT_EQ(second.failed_unchanged, 0);
    EXPECT_EQ(second.errors, 1);
    EXPECT_EQ(attempts(), 2);

    // Timed out twice on the same size and mtime: skipped from now on, still reported.
    auto third = scan(quick);
    EXPECT_EQ(third.failed_unchanged, 1);
    EXPECT_EQ(third.errors, 1);
    EXPECT_EQ(attempts(), 2);
}

TEST_F(FailedFiles, UnchangedFailedFileIsReallyNotOpened) {
    // Same size and mtime but readable content: a scan that opened it would import it.
    file("X/a.mp3", "bad=corrupt!!");
    EXPECT_EQ(scan().errors, 1);
    struct stat before {};
    ASSERT_EQ(::stat(path("X/a.mp3").c_str(), &before), 0);
    file("X/a.mp3", "title=Healed!");
    ASSERT_EQ(fs::file_size(path("X/a.mp3")), static_cast<uintmax_t>(before.st_size));
    timespec times[2] = {before.st_mtim, before.st_mtim};
    ASSERT_EQ(::utimensat(AT_FDCWD, path("X/a.mp3").c_str(), times, 0), 0);
    auto s = scan();
    EXPECT_EQ(s.failed_unchanged, 1);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE path = $1", db::Params(path("X/a.mp3"))), 0);
    // Touched: read again, and now it imports.
    times[1].tv_sec += 10;
    ASSERT_EQ(::utimensat(AT_FDCWD, path("X/a.mp3").c_str(), times, 0), 0);
    s = scan();
    EXPECT_EQ(s.added, 1);
    EXPECT_EQ(s.errors, 0);
    EXPECT_EQ(remembered(path("X/a.mp3")), 0);
}

TEST_F(FailedFiles, DeletedFailedFileIsForgotten) {
    fixture(kBroken, "gone.oga");
    fixture(kBroken, "Kept/stays.oga");
    ScanOptions taglib;
    taglib.taglib = true;
    EXPECT_EQ(scan(taglib).errors, 2);
    fs::remove(path("gone.oga"));
    auto s = scan(taglib);
    EXPECT_EQ(s.failed_unchanged, 1);
    EXPECT_EQ(remembered(path("gone.oga")), 0);
    EXPECT_EQ(remembered(path("Kept/stays.oga")), 1);
}

TEST_F(FailedFiles, FileThatCannotBeOpenedIsNotRemembered) {
    if (::geteuid() == 0) GTEST_SKIP() << "root opens any file";
    fixture("lame_cbr.mp3", "locked.mp3");
    fs::permissions(path("locked.mp3"), fs::perms::none);
    ScanOptions taglib;
    taglib.taglib = true;
    EXPECT_EQ(scan(taglib).errors, 1);
    EXPECT_EQ(remembered(path("locked.mp3")), 0);
    fs::permissions(path("locked.mp3"), fs::perms::owner_read);  // mtime unchanged
    EXPECT_EQ(scan(taglib).added, 1);
}

}  // namespace
}  // namespace sonique::test
