#pragma once
// A throwaway database and library folder for scanner suites that call run_scan directly:
// files written by the test, scans with the fake or the TagLib reader, counting queries.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "fake_reader.hpp"
#include "scanner/scanner.hpp"
#include "support/test_env.hpp"

namespace sonique::test {

struct ScanOptions {
    bool taglib = false;                     // the TagLib reader instead of the fake one
    bool cleanup = true;                     // cleanup_deleted
    std::vector<std::string> directories;    // default: the library folder
    std::vector<std::string> library_roots;  // default: none (every scanned folder is a root)
    std::chrono::milliseconds file_timeout{5000};
    const std::atomic<bool>* cancel = nullptr;
    std::vector<std::string> mount_tables;  // default: none (the machine's are not the test's)
};

class ScanFixture : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_ = new TestDatabase("scanner_upkeep"); }
    static void TearDownTestSuite() {
        delete db_;
        db_ = nullptr;
    }
    void SetUp() override {
        conn_ = std::make_unique<db::Connection>(db::ConnectOptions{db_->url(), 0, 3});
        conn_->exec_script(
            "TRUNCATE tracks, artists, albums, genres, genre_tags, mood_tags, scan_sessions, "
            "cover_images, covers, scan_failures CASCADE");
        root_ = std::filesystem::temp_directory_path() / ("sonique-upkeep-" + unique_suffix());
        std::filesystem::create_directories(root_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::permissions(root_, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(root_, ec);
    }

    std::string path(const std::string& rel) const { return (root_ / rel).string(); }
    void file(const std::string& rel, const std::string& content) {
        std::filesystem::path p = root_ / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
    }
    void fixture(const std::string& name, const std::string& rel) {
        std::filesystem::create_directories((root_ / rel).parent_path());
        std::filesystem::copy_file(fixtures_dir() + "/odd-audio/" + name, root_ / rel,
                                   std::filesystem::copy_options::overwrite_existing);
        std::filesystem::permissions(root_ / rel, std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::add);
    }

    scanner::ScanSummary scan(const ScanOptions& o = {}) {
        last_session_ =
            conn_
                ->exec(
                    "INSERT INTO scan_sessions (directory, task_id) VALUES ($1, $2) RETURNING id",
                    db::Params(root_.string(), "t-" + unique_suffix()))
                .int64(0, 0);
        scanner::ScanRequest req;
        req.directories =
            o.directories.empty() ? std::vector<std::string>{root_.string()} : o.directories;
        req.roots = {std::filesystem::weakly_canonical(root_).string()};
        req.library_roots = o.library_roots;
        req.mount_tables = o.mount_tables;
        req.cleanup_deleted = o.cleanup;
        req.session_id = last_session_;
        req.threads = 2;
        req.file_timeout = o.file_timeout;
        std::unique_ptr<scanner::TagReader> reader;
        if (o.taglib)
            reader = scanner::make_taglib_reader(req.split);
        else
            reader = std::make_unique<FakeReader>();
        std::atomic<bool> never{false};
        return scanner::run_scan(*conn_, *reader, req, {}, o.cancel ? *o.cancel : never);
    }

    int64_t count(const std::string& sql, const db::Params& params = {}) {
        return conn_->exec(sql, params).int64(0, 0);
    }
    // The reasons of the last scan's errors for this path.
    std::vector<std::string> errors_of(const std::string& p) {
        auto r = conn_->exec(
            "SELECT reason FROM scan_errors WHERE session_id = $1 AND path = $2 ORDER BY id",
            db::Params(last_session_, p));
        std::vector<std::string> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(r.str(i, 0));
        return out;
    }

    inline static TestDatabase* db_ = nullptr;
    std::unique_ptr<db::Connection> conn_;
    std::filesystem::path root_;
    int64_t last_session_ = 0;
};

}  // namespace sonique::test
