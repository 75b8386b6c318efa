// The scan pipeline against a real PostgreSQL with a fake tag reader: folder runs, names that are
// not UTF-8, incremental rescans, moves, lyrics files, deletions, crashing and hanging files,
// failing reader threads, kill -9 mid-scan. The entities: pipeline_entities_test.cpp.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "db/connection.hpp"
#include "fake_reader.hpp"
#include "pipeline_fixture.hpp"
#include "scanner/scanner.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

// An album's files go to one reader (its cover is then normalised once), 64 files at most.
TEST_F(Pipeline, EachFolderIsReadByOneReader) {
    for (int album = 0; album < 4; ++album)
        for (int n = 0; n < 12; ++n)
            file("A/Album " + std::to_string(album) + "/" + std::to_string(10 + n) + ".mp3",
                 "slow=1\nreader=1\nalbum=Album " + std::to_string(album));
    for (int n = 0; n < 70; ++n)  // a folder larger than one run
        file("B/Big/" + std::to_string(100 + n) + ".mp3", "reader=1\nalbum=Big");
    auto s = scan();
    EXPECT_EQ(s.added, 118);
    auto r = conn_->exec(
        "SELECT al.title, count(DISTINCT t.comment) FROM tracks t JOIN albums al "
        "ON al.id = t.album_id GROUP BY al.title ORDER BY al.title");
    ASSERT_EQ(r.rows(), 5);
    for (int i = 0; i < r.rows(); ++i) {
        if (r.str(i, 0) == "Big")
            EXPECT_LE(r.int64(i, 1), 2) << "two runs of at most 64 files";
        else
            EXPECT_EQ(r.int64(i, 1), 1) << r.str(i, 0);
    }
    // Both readers took part.
    EXPECT_EQ(count("SELECT count(DISTINCT comment) FROM tracks"), 2);
}

// PostgreSQL text is UTF-8: a file or folder name in another encoding is skipped and recorded,
// and costs nothing else (it once failed the whole batch, and every later scan).
TEST_F(Pipeline, ANameThatIsNotUtf8CostsOnlyItself) {
    file("A/ok.mp3", "title=Fine\nartist=A\nalbum=X");
    file("A/caf\xe9.mp3", "title=Latin1\nartist=A\nalbum=X");
    file("B\xe9/inner.mp3", "title=Inner\nartist=A\nalbum=Y");
    for (int round = 0; round < 2; ++round) {
        auto s = scan();
        EXPECT_EQ(s.found, 1);
        EXPECT_EQ(s.added, round == 0 ? 1 : 0);
        auto r = conn_->exec(
            "SELECT path, reason FROM scan_errors WHERE session_id = (SELECT max(id) FROM "
            "scan_sessions) ORDER BY path");
        ASSERT_EQ(r.rows(), 2);
        EXPECT_EQ(r.str(0, 0), (root_ / "A/caf\xef\xbf\xbd.mp3").string());
        EXPECT_EQ(r.str(1, 0), (root_ / "B\xef\xbf\xbd").string());
        EXPECT_EQ(r.str(0, 1), "name is not valid UTF-8; skipped");
    }
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 1);
}

TEST_F(Pipeline, FullRescanReadsUnchangedFilesAgain) {
    file("R/1.mp3", "title=Old\nartist=Alice");
    file("R/2.mp3", "bad=unreadable");
    scan();
    int64_t id = count("SELECT id FROM tracks");
    // Other tags, same size and mtime: what a change of the split settings looks like.
    fs::path p = root_ / "R/1.mp3";
    auto mtime = fs::last_write_time(p);
    file("R/1.mp3", "title=New\nartist=Alice");
    fs::last_write_time(p, mtime);
    auto title = [&] { return conn_->exec("SELECT title FROM tracks").str(0, 0); };
    auto s = scan();
    EXPECT_EQ(s.unchanged, 1);
    EXPECT_EQ(title(), "Old");
    reread_ = true;
    s = scan();
    EXPECT_EQ(s.unchanged, 0);
    EXPECT_EQ(s.updated, 1);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(s.failed_unchanged, 0) << "a file that failed before is read again too";
    EXPECT_EQ(s.errors, 1);
    EXPECT_EQ(title(), "New");
    EXPECT_EQ(count("SELECT id FROM tracks"), id);
}

TEST_F(Pipeline, RescanOfUnchangedFilesChangesNothing) {
    for (int i = 0; i < 30; ++i)
        file("X/" + std::to_string(i) + ".mp3",
             "title=T" + std::to_string(i) + "\nartist=A\nalbum=X");
    scan();
    auto before = conn_->exec("SELECT max(date_modified)::text, count(*) FROM tracks");
    auto s = scan();
    EXPECT_EQ(s.unchanged, 30);
    EXPECT_EQ(s.added + s.updated + s.removed + s.moved, 0);
    auto after = conn_->exec("SELECT max(date_modified)::text, count(*) FROM tracks");
    EXPECT_EQ(before.str(0, 0), after.str(0, 0));
    EXPECT_EQ(after.int64(0, 1), 30);
}

TEST_F(Pipeline, ChangedFileIsUpdatedInPlace) {
    file("X/a.mp3", "title=Old\nartist=A\nalbum=X");
    scan();
    int64_t id = count("SELECT id FROM tracks");
    file("X/a.mp3", "title=Brand new title\nartist=B\nalbum=X");
    auto s = scan();
    EXPECT_EQ(s.updated, 1);
    EXPECT_EQ(count("SELECT id FROM tracks WHERE title = 'Brand new title'"), id);
    // Artist A lost its last track and went.
    EXPECT_EQ(count("SELECT count(*) FROM artists WHERE name = 'A'"), 0);
}

TEST_F(Pipeline, MovedFilesKeepTheirIds) {
    file("Old/a.mp3", "title=Moving\nartist=A\nalbum=X\nmbid=mb-1\nduration=100");
    file("Old/b.mp3", "title=Renamed\nartist=A\nalbum=X\nduration=200");
    // No title tag: named by its file name, which the rename changes.
    file("Old/untagged song.mp3", "artist=A\nalbum=X\nduration=300");
    scan();
    int64_t a = count("SELECT id FROM tracks WHERE title = 'Moving'");
    int64_t b = count("SELECT id FROM tracks WHERE title = 'Renamed'");
    int64_t c = count("SELECT id FROM tracks WHERE title = 'untagged song'");
    fs::create_directories(root_ / "New");
    fs::rename(root_ / "Old/a.mp3", root_ / "New/a2.mp3");
    fs::rename(root_ / "Old/b.mp3", root_ / "New/b2.mp3");
    fs::rename(root_ / "Old/untagged song.mp3", root_ / "New/other name.mp3");
    auto s = scan();
    EXPECT_EQ(s.moved, 3);
    EXPECT_EQ(s.removed, 0);
    EXPECT_EQ(count("SELECT id FROM tracks WHERE path LIKE '%/New/a2.mp3'"), a);
    EXPECT_EQ(count("SELECT id FROM tracks WHERE path LIKE '%/New/b2.mp3'"), b);
    EXPECT_EQ(count("SELECT id FROM tracks WHERE path LIKE '%/New/other name.mp3'"), c);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 3);
}

// Lyrics beside an unchanged audio file: added, edited or removed, the next scan reads them.
TEST_F(Pipeline, LyricsFilesAddedOrRemovedLaterAreRead) {
    file("A/song.mp3", "title=Song\nartist=A\nalbum=X");
    ASSERT_EQ(scan().added, 1);
    auto lyrics = [&] { return conn_->exec("SELECT lyrics FROM tracks").opt_str(0, 0); };
    EXPECT_EQ(lyrics(), std::nullopt);
    file("A/song.lrc", "[00:01.00]la la");
    // A second later than the audio file, whatever the file system's time resolution.
    auto later = fs::last_write_time(root_ / "A/song.mp3") + std::chrono::seconds(2);
    fs::last_write_time(root_ / "A/song.lrc", later);
    auto s = scan();
    EXPECT_EQ(s.updated, 1);
    EXPECT_EQ(lyrics(), "[00:01.00]la la");
    EXPECT_EQ(scan().updated, 0);  // and once only
    fs::remove(root_ / "A/song.lrc");
    EXPECT_EQ(scan().updated, 1);
    EXPECT_EQ(lyrics(), std::nullopt);
    // Copied with its date kept: older than the audio file, still read.
    file("A/song.txt", "plain words");
    auto earlier = fs::last_write_time(root_ / "A/song.mp3") - std::chrono::hours(1);
    fs::last_write_time(root_ / "A/song.txt", earlier);
    EXPECT_EQ(scan().updated, 1);
    EXPECT_EQ(lyrics(), "plain words");
    EXPECT_EQ(scan().updated, 0);
}

TEST_F(Pipeline, DeletionsCascadeToAlbumsAndArtists) {
    file("A/1.mp3", "title=1\nartist=Keep\nalbum=Stay");
    file("B/2.mp3", "title=2\nartist=Gone|Keep\nalbum=Leave");
    scan();
    fs::remove_all(root_ / "B");
    auto s = scan();
    EXPECT_EQ(s.removed, 1);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM albums WHERE title = 'Leave'"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM artists WHERE name = 'Gone'"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM artists WHERE name = 'Keep'"), 1);
}

TEST_F(Pipeline, CrashingHangingAndBadFilesCostOnlyThemselves) {
    for (int i = 0; i < 20; ++i)
        file("Ok/" + std::to_string(i) + ".mp3",
             "title=T" + std::to_string(i) + "\nartist=A\nalbum=X");
    file("Ok/crash.mp3", "crash");
    file("Ok/hang.mp3", "hang");
    file("Ok/bad.mp3", "bad=corrupt header");
    auto s = scan(std::chrono::milliseconds(800));
    EXPECT_EQ(s.found, 23);
    EXPECT_EQ(s.errors, 3);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 20);
    auto r = conn_->exec("SELECT path, reason FROM scan_errors ORDER BY path");
    ASSERT_EQ(r.rows(), 3);
    EXPECT_NE(r.str(0, 1), "");
    EXPECT_NE(r.str(1, 1).find("crashed"), std::string::npos) << r.str(1, 1);
    EXPECT_NE(r.str(2, 1).find("timed out"), std::string::npos) << r.str(2, 1);
}

// Without worker processes a reader runs in the reading thread itself. What it throws is the
// file's error, as in a worker; running out of memory stops the thread, with a file in hand and
// the rest of its folder run taken: each of them still gets an outcome, and the files the failure
// left unread are read by the next scan even though unchanged.
TEST_F(Pipeline, AReaderThreadThatFailsLosesNoFile) {
    isolate_ = false;
    auto album = [&](const std::string& folder, int bad, const std::string& bad_key) {
        for (int i = 0; i < 30; ++i)
            file(folder + "/" + std::to_string(100 + i) + ".mp3",
                 i == bad ? bad_key : "title=T\nartist=" + folder + "\nalbum=X");
    };
    album("A", 10, "oom");
    album("B", 5, "throw");
    auto s = scan();
    EXPECT_EQ(s.found, 60);
    EXPECT_EQ(s.added + s.errors, 60);
    EXPECT_GE(s.added, 39);  // B but its bad file, and A's first ten
    auto reason = [&](const std::string& rel) {
        auto r = conn_->exec("SELECT reason FROM scan_errors WHERE path LIKE $1",
                             db::Params("%/" + rel));
        return r.rows() == 1 ? r.str(0, 0) : "<" + std::to_string(r.rows()) + " rows>";
    };
    EXPECT_NE(reason("B/105.mp3").find("tag reader failed: fake reader failure"),
              std::string::npos);
    EXPECT_NE(reason("A/110.mp3").find("reader stopped"), std::string::npos);
    file("A/110.mp3", "title=T\nartist=A\nalbum=X");
    auto again = scan();
    EXPECT_EQ(again.errors, 1);  // B's file failed before and is unchanged: not read again
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 59);
}

// When every reader thread has failed, the files none of them took get an outcome too.
TEST_F(Pipeline, FilesNoReaderTookGetAnOutcome) {
    isolate_ = false;
    for (const char* folder : {"A", "B", "C"})
        for (int i = 0; i < 10; ++i)
            file(std::string(folder) + "/" + std::to_string(10 + i) + ".mp3",
                 std::string(folder) != "C" && i == 0 ? "oom" : "title=T\nartist=A\nalbum=X");
    auto s = scan();
    EXPECT_EQ(s.found, 30);
    EXPECT_EQ(s.added, 0);
    EXPECT_EQ(s.errors, 30);
    EXPECT_EQ(count("SELECT count(*) FROM scan_errors WHERE reason = 'no reader left'"), 10);
    for (const char* folder : {"A", "B"})
        file(std::string(folder) + "/10.mp3", "title=T\nartist=A\nalbum=X");
    EXPECT_EQ(scan().added, 30);
}

TEST_F(Pipeline, KillNineMidScanThenRescanGivesExactRows) {
    const int n = 600;
    for (int i = 0; i < n; ++i)
        file("K/" + std::to_string(i / 20) + "/" + std::to_string(i) + ".mp3",
             "slow\ntitle=T" + std::to_string(i) + "\nartist=Art" + std::to_string(i % 7) +
                 "|Guest\nalbum=Al" + std::to_string(i / 20));
    pid_t pid = fork();
    if (pid == 0) {
        db::Connection own(db::ConnectOptions{db_->url(), 0, 3});
        scan(std::chrono::milliseconds(5000), 50, &own);
        _exit(0);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (count("SELECT count(*) FROM tracks") < 100 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    int64_t partial = count("SELECT count(*) FROM tracks");
    EXPECT_GE(partial, 100);
    EXPECT_LT(partial, n) << "the scan finished before the kill: the test proves nothing";
    EXPECT_EQ(count("SELECT count(*) FROM tracks") * 2,
              count("SELECT count(*) FROM track_artists"));
    auto s = scan();
    EXPECT_EQ(s.unchanged, partial);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), n);
    EXPECT_EQ(count("SELECT count(DISTINCT path) FROM tracks"), n);
    EXPECT_EQ(count("SELECT count(*) FROM track_artists"), 2 * n);
    EXPECT_EQ(count("SELECT count(*) FROM artists"), 9);  // 7 + Guest + Various Artists
    EXPECT_EQ(count("SELECT count(*) FROM albums al JOIN artists a ON a.id = al.album_artist_id "
                    "WHERE a.name = 'Various Artists'"),
              n / 20);
    EXPECT_EQ(count("SELECT count(*) FROM albums"), n / 20);
}

}  // namespace
}  // namespace sonique::test
