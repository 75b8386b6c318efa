#pragma once
// The fixture of the scan HTTP tests: a real server, PostgreSQL and Redis, over a generated
// library plus every odd fixture; and another process's scan, as its locks show it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>

#include "db/connection.hpp"
#include "db/lock_keys.hpp"
#include "scanner/demo_library.hpp"
#include "support/test_server.hpp"

namespace sonique::test {

class ScanHttp : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        root_ = new std::string(std::filesystem::temp_directory_path() /
                                ("sonique-scanhttp-" + unique_suffix()));
        scanner::DemoOptions o;
        o.files = 40;
        scanner::generate_library(*root_ + "/demo", o);
        std::filesystem::copy(fixtures_dir() + "/odd-audio", *root_ + "/odd",
                              std::filesystem::copy_options::recursive);
        std::string root = *root_;
        server_ = new TestServer("scan_http", [root](Config& c) {
            c.music_roots = {root};
            c.scan_threads = 2;
        });
    }
    static void TearDownTestSuite() {
        delete server_;
        std::filesystem::remove_all(*root_);
        delete root_;
    }
    static Json post(const std::string& body, int expect) {
        auto res = server_->client()->Post("/api/scan", body, "application/json");
        EXPECT_TRUE(res);
        if (!res) return Json();
        EXPECT_EQ(res->status, expect) << res->body;
        return body_json(res);
    }
    static Json wait_done(const std::string& task_id) {
        auto c = server_->client();
        for (int i = 0; i < 600; ++i) {
            Json s = body_json(c->Get(("/api/tasks/status/" + task_id).c_str()));
            if (s["status"] != "running") return s;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        ADD_FAILURE() << "scan did not finish";
        return Json();
    }
    inline static TestServer* server_ = nullptr;
    inline static std::string* root_ = nullptr;
};

// Another process's scan: its connection holds the root's lock and its session's lock, as
// the scanner's do (scanner/impl/root_locks.cpp, scanner/impl/session_store.cpp), with the
// keys of db/lock_keys.hpp.
class OtherProcessScan {
  public:
    OtherProcessScan(const std::string& url, const std::string& root, const std::string& dir,
                     const std::string& task)
        : conn_(db::ConnectOptions{url, 0, 3}) {
        conn_.exec("SELECT pg_advisory_lock(hashtext($1))",
                   db::Params(db::lock_keys::scan_root_key_text(root)));
        id_ = conn_
                  .exec(
                      "INSERT INTO scan_sessions (directory, task_id) VALUES ($1, $2) "
                      "RETURNING id",
                      db::Params(dir, task))
                  .int64(0, 0);
        // Session ids here stay below 2^32: the first key is the space itself.
        conn_.exec("SELECT pg_advisory_lock($1::int, $2::int)",
                   db::Params(db::lock_keys::kScanSessionSpace, id_));
    }
    void end() {
        conn_.exec("UPDATE scan_sessions SET status = 'completed' WHERE id = $1", db::Params(id_));
        conn_.exec("SELECT pg_advisory_unlock_all()");
    }
    ~OtherProcessScan() { conn_.exec("DELETE FROM scan_sessions WHERE id = $1", db::Params(id_)); }

  private:
    db::Connection conn_;
    int64_t id_ = 0;
};

}  // namespace sonique::test
