// The scan pipeline against a real PostgreSQL with a fake tag reader: import, entities,
// incremental rescans, moves, deletions, crashing and hanging files, kill -9 mid-scan.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "db/connection.hpp"
#include "fake_reader.hpp"
#include "scanner/scanner.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

class Pipeline : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_ = new TestDatabase("scan_pipeline"); }
    static void TearDownTestSuite() { delete db_; }
    void SetUp() override {
        conn_ = std::make_unique<db::Connection>(db::ConnectOptions{db_->url(), 0, 3});
        conn_->exec_script(
            "TRUNCATE tracks, artists, albums, genres, genre_tags, mood_tags, scan_sessions, "
            "cover_images, covers CASCADE");
        root_ = fs::temp_directory_path() / ("sonique-pipe-" + unique_suffix());
        fs::create_directories(root_);
    }
    void TearDown() override { fs::remove_all(root_); }

    void file(const std::string& rel, const std::string& content) {
        fs::path p = root_ / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << content;
    }
    scanner::ScanSummary scan(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                              size_t batch = 500, db::Connection* conn = nullptr) {
        db::Connection& c = conn ? *conn : *conn_;
        auto r =
            c.exec("INSERT INTO scan_sessions (directory, task_id) VALUES ($1, $2) RETURNING id",
                   db::Params(root_.string(), "t-" + unique_suffix()));
        scanner::ScanRequest req;
        req.directories = {root_.string()};
        req.roots = {fs::canonical(root_).string()};
        req.session_id = r.int64(0, 0);
        req.threads = 2;
        req.file_timeout = timeout;
        req.batch_size = batch;
        req.reread = reread_;
        req.isolate = isolate_;
        FakeReader reader;
        std::atomic<bool> cancel{false};
        return scanner::run_scan(c, reader, req, {}, cancel);
    }
    int64_t count(const std::string& sql) { return conn_->exec(sql).int64(0, 0); }

    static TestDatabase* db_;
    std::unique_ptr<db::Connection> conn_;
    fs::path root_;
    bool reread_ = false;
    bool isolate_ = true;
};
TestDatabase* Pipeline::db_ = nullptr;

TEST_F(Pipeline, ImportsEntitiesWithArtistsInOrderAndCompilations) {
    file("A/One/01.mp3",
         "title=First\nartist=Alice|Bob\nalbum=One\nalbumartist=Alice\ngenre=Rock|Pop\nbpm=120");
    file("A/One/02.mp3", "title=Second\nartist=alice\nalbum=ONE\nalbumartist=Alice");
    file("Comp/03.flac", "title=C1\nartist=Carol\nalbum=Hits\ncompilation=1");
    file("Comp/04.flac", "title=C2\nartist=Dave\nalbum=Hits\ncompilation=1");
    file("Comp/05.flac", "title=C3\nartist=Beyoncé\nalbum=Hits\ncompilation=1");
    file("Comp/06.flac", "title=C4\nartist=Beyonce\nalbum=Hits\ncompilation=1");
    file("Comp/cover.txt", "not audio");
    auto s = scan();
    EXPECT_EQ(s.found, 6);
    EXPECT_EQ(s.added, 6);
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 6);
    // Alice (case-insensitive), Bob, Carol, Dave, Beyoncé (accent-insensitive), Various Artists.
    EXPECT_EQ(count("SELECT count(*) FROM artists"), 6);
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM albums al JOIN artists a ON a.id = al.album_artist_id "
                    "WHERE a.name = 'Various Artists' AND al.is_compilation"),
              1);
    auto order = conn_->exec(
        "SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id "
        "JOIN tracks t ON t.id = ta.track_id WHERE t.title = 'First' ORDER BY ta.position");
    ASSERT_EQ(order.rows(), 2);
    EXPECT_EQ(order.str(0, 0), "Alice");
    EXPECT_EQ(order.str(1, 0), "Bob");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM audio_features WHERE bpm = 120"), 1);
}

// Two spellings of one artist on one track: one link, at the first position; the next artist
// follows it.
TEST_F(Pipeline, OneArtistNamedTwiceOnATrackIsLinkedOnce) {
    file("A/01.mp3", "title=Duet\nartist=Beyoncé|BEYONCE|Carol\nalbum=X\nalbumartist=Carol");
    ASSERT_EQ(scan().added, 1);
    auto r = conn_->exec(
        "SELECT a.name, ta.position FROM track_artists ta JOIN artists a ON a.id = ta.artist_id "
        "ORDER BY ta.position");
    ASSERT_EQ(r.rows(), 2);
    EXPECT_EQ(r.str(0, 0), "Beyoncé");
    EXPECT_EQ(r.str(1, 0), "Carol");
    EXPECT_EQ(r.int64(1, 1), 1);
}

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

TEST_F(Pipeline, BatchOfHundredsOfNewArtistsAndAlbumsResolvesEachOnce) {
    // 250 artists, each under two spellings, in one batch: more than one pipeline of lookups.
    for (int i = 0; i < 500; ++i) {
        std::string n = std::to_string(i % 250);
        std::string artist = i < 250 ? "Artist " + n : "ARTIST " + n;
        file("L/" + std::to_string(i) + ".mp3", "title=T" + std::to_string(i) +
                                                    "\nartist=" + artist + "\nalbum=Album " + n +
                                                    "\nalbumartist=" + artist);
    }
    file("L/Various/a.mp3", "title=V1\nartist=Artist 1\nalbum=Mix\ncompilation=1");
    file("L/Various/b.mp3", "title=V2\nartist=Artist 2\nalbum=Mix\ncompilation=1");
    auto s = scan(std::chrono::milliseconds(5000), 1000);
    EXPECT_EQ(s.added, 502);
    EXPECT_EQ(count("SELECT count(*) FROM artists"), 251);  // and Various Artists
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 251);
    // Every track points at the artist and album its tags name.
    EXPECT_EQ(count("SELECT count(*) FROM tracks t JOIN artists a ON a.id = t.track_artist_id "
                    "JOIN albums al ON al.id = t.album_id JOIN artists aa ON aa.id = "
                    "al.album_artist_id WHERE t.title NOT LIKE 'V%' AND lower(a.name) = "
                    "'artist ' || (substr(t.title, 2)::int % 250) AND al.title = 'Album ' || "
                    "(substr(t.title, 2)::int % 250) AND aa.id = a.id"),
              500);
    EXPECT_EQ(count("SELECT count(*) FROM tracks t JOIN albums al ON al.id = t.album_id "
                    "JOIN artists aa ON aa.id = al.album_artist_id WHERE al.title = 'Mix' "
                    "AND aa.name = 'Various Artists' AND al.is_compilation"),
              2);
}

// A batch's albums are looked up and created together, with the outcome of looking them up one
// at a time in the batch's order: a later track finds an album an earlier one created, by
// MusicBrainz id or by (album artist, title), and an existing album keeps precedence.
TEST_F(Pipeline, AlbumsOfOneBatchResolveAsOneAtATime) {
    file("Old/01.mp3", "title=Old1\nartist=Alice\nalbum=Old\nalbumartist=Alice");
    ASSERT_EQ(scan().added, 1);
    file("Old/02.mp3", "title=Old2\nartist=Alice\nalbum=OLD\nalbumartist=Alice\nalbummbid=m1");
    // One folder is read in name order: 01 creates "New" (m2), 02 finds it by title, 03 by id.
    file("B/01.mp3", "title=New1\nartist=Bob\nalbum=New\nalbumartist=Bob\nalbummbid=m2");
    file("B/02.mp3", "title=New2\nartist=Bob\nalbum=NEW\nalbumartist=Bob");
    file("B/03.mp3", "title=New3\nartist=Carol\nalbum=Other\nalbumartist=Carol\nalbummbid=m2");
    // Same artist and title, two release ids: two albums.
    file("D/01.mp3", "title=Twin1\nartist=Dan\nalbum=Twin\nalbumartist=Dan\nalbummbid=m3");
    file("D/02.mp3", "title=Twin2\nartist=Dan\nalbum=Twin\nalbumartist=Dan\nalbummbid=m4");
    // Without an id, then with one: the second finds the first by title.
    file("E/01.mp3", "title=Solo1\nartist=Eve\nalbum=Solo\nalbumartist=Eve");
    file("E/02.mp3", "title=Solo2\nartist=Eve\nalbum=solo\nalbumartist=Eve\nalbummbid=m5");
    // Titles equal for PostgreSQL's lower(), which the in-batch matching must follow.
    file("F/01.mp3", "title=Ete1\nartist=Fay\nalbum=ÉTÉ\nalbumartist=Fay");
    file("F/02.mp3", "title=Ete2\nartist=Fay\nalbum=été\nalbumartist=Fay");
    ASSERT_EQ(scan().added, 10);
    auto album_of = [&](const std::string& title) {
        return count("SELECT album_id FROM tracks WHERE title = '" + title + "'");
    };
    EXPECT_EQ(album_of("Old2"), album_of("Old1"));
    EXPECT_EQ(album_of("New2"), album_of("New1"));
    EXPECT_EQ(album_of("New3"), album_of("New1"));
    EXPECT_NE(album_of("Twin2"), album_of("Twin1"));
    EXPECT_EQ(album_of("Solo2"), album_of("Solo1"));
    bool same_lower = conn_->exec("SELECT lower('ÉTÉ') = lower('été')").boolean(0, 0);
    EXPECT_EQ(album_of("Ete2") == album_of("Ete1"), same_lower);
    // Old, New, Twin x2, Solo, and one or two "été".
    EXPECT_EQ(count("SELECT count(*) FROM albums"), same_lower ? 6 : 7);
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

TEST_F(Pipeline, FolderCompilationAndTaggedTracksOfOneFolderAreOneAlbum) {
    // Tracks 01-05 name no album artist and differ in artist (a compilation found by folder);
    // 06-10 say they are a compilation. One "Now 42" under Various Artists, in either order.
    for (int i = 1; i <= 10; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%02d.mp3", i);
        std::string tags = "title=T" + std::to_string(i) + "\nartist=Artist " + std::to_string(i) +
                           "\nalbum=Now 42";
        file(std::string("Now42/") + name, tags + (i > 5 ? "\ncompilation=1" : ""));
        file(std::string("Now43/") + name,
             tags.replace(tags.find("Now 42"), 6, "Now 43") + (i <= 5 ? "\ncompilation=1" : ""));
    }
    EXPECT_EQ(scan().added, 20);
    for (const char* title : {"Now 42", "Now 43"}) {
        auto r = conn_->exec(
            "SELECT count(DISTINCT al.id), min(a.name), bool_and(al.is_compilation) FROM tracks t "
            "JOIN albums al ON al.id = t.album_id JOIN artists a ON a.id = al.album_artist_id "
            "WHERE al.title = $1",
            db::Params(std::string(title)));
        EXPECT_EQ(r.int64(0, 0), 1) << title;
        EXPECT_EQ(r.str(0, 1), "Various Artists") << title;
        EXPECT_TRUE(r.boolean(0, 2)) << title;
    }
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 2);
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
