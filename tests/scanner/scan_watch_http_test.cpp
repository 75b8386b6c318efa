// `serve --watch` against a real server, PostgreSQL and Redis: changes applied without a full
// scan, renamed folders, files moved between folders, names that are not UTF-8.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "db/connection.hpp"
#include "discovery.hpp"
#include "scan_http_fixture.hpp"
#include "scanner/demo_library.hpp"
#include "scanner/watcher.hpp"
#include "services/scan.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

TEST_F(ScanHttp, WatcherAppliesChangesWithoutAFullScan) {
    std::string dir = *root_ + "/watched";
    fs::create_directories(dir);
    services::ScanService scans(server_->runtime().services());
    scanner::ScanWatcher watcher(scans.runner(), {dir}, std::chrono::milliseconds(300));
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    auto count = [&] {
        return conn
            .exec("SELECT count(*) FROM tracks WHERE starts_with(path, $1)", db::Params(dir + "/"))
            .int64(0, 0);
    };
    auto wait_for = [&](int64_t n) {
        for (int i = 0; i < 150 && count() != n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return count();
    };
    scanner::DemoOptions o;
    o.files = 20;
    scanner::generate_library(dir, o);
    EXPECT_EQ(wait_for(20), 20);
    fs::path first = *fs::directory_iterator(dir);
    int64_t inside = conn.exec("SELECT count(*) FROM tracks WHERE starts_with(path, $1)",
                               db::Params(first.string() + "/"))
                         .int64(0, 0);
    ASSERT_GT(inside, 0);
    fs::remove_all(first);
    EXPECT_EQ(wait_for(20 - inside), 20 - inside);
}

// A folder renamed inside the roots keeps its inotify watches (and its subfolders theirs): a file
// added to it afterwards is scanned at the new path, not at the old, missing one.
TEST_F(ScanHttp, WatcherFollowsARenamedFolder) {
    std::string dir = *root_ + "/watched-rename", spare = *root_ + "-spare";
    fs::create_directories(dir);
    scanner::DemoOptions o;
    o.files = 1;
    o.seed = 7;
    scanner::generate_library(spare, o);
    services::ScanService scans(server_->runtime().services());
    scanner::ScanWatcher watcher(scans.runner(), {dir}, std::chrono::milliseconds(300));
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    auto count_under = [&](const std::string& folder) {
        return conn
            .exec("SELECT count(*) FROM tracks WHERE starts_with(path, $1)",
                  db::Params(folder + "/"))
            .int64(0, 0);
    };
    auto wait_under = [&](const std::string& folder, int64_t n) {
        for (int i = 0; i < 150 && count_under(folder) != n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return count_under(folder);
    };
    o.files = 4;
    o.seed = 42;
    scanner::generate_library(dir + "/Before", o);
    ASSERT_EQ(wait_under(dir + "/Before", 4), 4);
    fs::rename(dir + "/Before", dir + "/After");
    EXPECT_EQ(wait_under(dir + "/After", 4), 4);
    fs::path album;  // an album folder, two levels below the renamed one
    for (const auto& e : fs::recursive_directory_iterator(dir + "/After"))
        if (e.is_regular_file()) album = e.path().parent_path();
    int64_t before = count_under(album.string());
    for (const auto& e : fs::recursive_directory_iterator(spare))
        if (e.is_regular_file())
            fs::copy_file(e.path(), album / ("new" + e.path().extension().string()));
    EXPECT_EQ(wait_under(album.string(), before + 1), before + 1);
    fs::remove_all(spare);
}

// A file moved from one folder to another keeps its track id under --watch: the two folders
// changed in one window are scanned as one.
TEST_F(ScanHttp, WatcherKeepsTheIdOfAFileMovedBetweenFolders) {
    std::string dir = *root_ + "/watched-move";
    fs::create_directories(dir);
    services::ScanService scans(server_->runtime().services());
    scanner::ScanWatcher watcher(scans.runner(), {dir}, std::chrono::milliseconds(300));
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    auto id_at = [&](const fs::path& p) {
        auto r = conn.exec("SELECT id FROM tracks WHERE path = $1", db::Params(p.string()));
        return r.empty() ? int64_t{0} : r.int64(0, 0);
    };
    scanner::DemoOptions o;
    o.files = 12;
    o.seed = 11;
    scanner::generate_library(dir, o);
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && scanner::is_audio_name(e.path().filename().string()))
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    fs::path from = files.front();
    fs::path other;  // a folder of another album
    for (const auto& f : files)
        if (f.parent_path() != from.parent_path()) other = f.parent_path();
    ASSERT_FALSE(other.empty());
    for (int i = 0; i < 150 && id_at(from) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int64_t id = id_at(from);
    ASSERT_NE(id, 0);
    // Let the import's own events settle before the move.
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    fs::path to = other / ("moved" + from.extension().string());
    fs::rename(from, to);
    for (int i = 0; i < 150 && id_at(to) == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(id_at(to), id);
    EXPECT_EQ(id_at(from), 0);
}

// A folder named in another encoding than UTF-8 appears under --watch: its parent is scanned,
// which records it as a scan error, and the scan completes.
TEST_F(ScanHttp, WatcherScansTheParentOfAFolderWhoseNameIsNotUtf8) {
    std::string dir = *root_ + "/watched-latin1";
    fs::create_directories(dir);
    services::ScanService scans(server_->runtime().services());
    scanner::ScanWatcher watcher(scans.runner(), {dir}, std::chrono::milliseconds(300));
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    fs::create_directories(dir + "/Caf\xe9");
    std::ofstream(dir + "/Caf\xe9/song.mp3") << "not really audio";
    auto session = [&] {
        return conn.exec(
            "SELECT status, (SELECT count(*) FROM scan_errors e WHERE e.session_id = s.id AND "
            "e.reason = 'name is not valid UTF-8; skipped') FROM scan_sessions s WHERE "
            "directory = $1 AND status <> 'running' ORDER BY id DESC LIMIT 1",
            db::Params(dir));
    };
    for (int i = 0; i < 100 && session().empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto r = session();
    ASSERT_EQ(r.rows(), 1);
    EXPECT_EQ(r.str(0, 0), "completed");
    EXPECT_EQ(r.int64(0, 1), 1);
    // A change inside that folder alone: its parent is scanned again.
    auto sessions = [&] {
        return conn.exec("SELECT count(*) FROM scan_sessions WHERE directory = $1", db::Params(dir))
            .int64(0, 0);
    };
    int64_t before = sessions();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    std::ofstream(dir + "/Caf\xe9/other.mp3") << "not really audio either";
    for (int i = 0; i < 100 && sessions() == before; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(sessions(), before + 1);
}

}  // namespace
}  // namespace sonique::test
