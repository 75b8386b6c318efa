#pragma once
// The fixture of the pipeline tests: a real PostgreSQL, a fake tag reader, a temporary library.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "db/connection.hpp"
#include "fake_reader.hpp"
#include "scanner/scanner.hpp"
#include "support/test_env.hpp"

namespace sonique::test {

class Pipeline : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { db_ = new TestDatabase("scan_pipeline"); }
    static void TearDownTestSuite() { delete db_; }
    void SetUp() override {
        conn_ = std::make_unique<db::Connection>(db::ConnectOptions{db_->url(), 0, 3});
        conn_->exec_script(
            "TRUNCATE tracks, artists, albums, genres, genre_tags, mood_tags, scan_sessions, "
            "cover_images, covers CASCADE");
        root_ = std::filesystem::temp_directory_path() / ("sonique-pipe-" + unique_suffix());
        std::filesystem::create_directories(root_);
    }
    void TearDown() override { std::filesystem::remove_all(root_); }

    void file(const std::string& rel, const std::string& content) {
        std::filesystem::path p = root_ / rel;
        std::filesystem::create_directories(p.parent_path());
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
        req.roots = {std::filesystem::canonical(root_).string()};
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

    inline static TestDatabase* db_ = nullptr;
    std::unique_ptr<db::Connection> conn_;
    std::filesystem::path root_;
    bool reread_ = false;
    bool isolate_ = true;
};

}  // namespace sonique::test
