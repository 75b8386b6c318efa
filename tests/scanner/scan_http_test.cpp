// POST /api/scan, scan sessions, task status, scan errors and the SSE stream, against a real
// server, PostgreSQL and Redis, scanning a generated library plus every odd fixture.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "db/connection.hpp"
#include "scan_http_fixture.hpp"
#include "scanner/demo_library.hpp"
#include "services/scan.hpp"
#include "support/images.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

TEST_F(ScanHttp, BodyAndDirectoryValidation) {
    Json j = post(R"({"directory": "demo", "unknown": 1})", 422);
    EXPECT_EQ(j["detail"][0]["loc"], Json({"body", "unknown"}));
    j = post(R"({"directory": 5})", 422);
    EXPECT_EQ(j["detail"][0]["type"], "string_type");
    post(R"({"cleanup_deleted": "yes"})", 422);
    post(R"([1])", 422);
    j = post(R"({"directory": "nope"})", 400);
    EXPECT_EQ(j["detail"], "Le répertoire " + *root_ + "/nope n'est pas accessible");
    post(R"({"directory": "/etc"})", 400);
    post(R"({"directory": "../../etc"})", 400);
    fs::create_symlink("/tmp", *root_ + "/escape");
    post(R"({"directory": "escape"})", 400);
    fs::remove(*root_ + "/escape");
}

TEST_F(ScanHttp, RunningScanOfAnotherProcessIsJoined) {
    OtherProcessScan other(server_->database_url(), *root_, *root_ + "/demo", "held-elsewhere");
    Json j = post(R"({"directory": "demo"})", 201);
    EXPECT_EQ(j["task_id"], "held-elsewhere");
    EXPECT_EQ(j["status"], "Scan déjà en cours");
    EXPECT_EQ(j["resume"], true);
    // The same folder, spelled differently: still that scan.
    j = post(R"({"directory": "demo/"})", 201);
    EXPECT_EQ(j["task_id"], "held-elsewhere");
    other.end();
}

// One scan per library root: a scan of the whole root waits for the running scan of one of its
// subfolders (another process's), then runs.
TEST_F(ScanHttp, ARootScanWaitsForTheScanOfItsSubfolder) {
    OtherProcessScan other(server_->database_url(), *root_, *root_ + "/odd", "odd-elsewhere");
    Json j = post("{}", 201);
    ASSERT_FALSE(j.contains("resume")) << j.dump();
    std::string task = j["task_id"];
    auto c = server_->client();
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    Json s = body_json(c->Get(("/api/tasks/status/" + task).c_str()));
    EXPECT_EQ(s["status"], "running") << "it waits, and is not reaped while it waits";
    // A second request for the root joins the waiting scan.
    EXPECT_EQ(post("{}", 201)["task_id"], task);
    other.end();
    EXPECT_EQ(wait_done(task)["status"], "completed");
}

// A dead process's session that would cover the request is never joined: the request waits
// for the live scan of the root, then runs.
TEST_F(ScanHttp, ARequestNeverJoinsTheSessionOfADeadProcess) {
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    conn.exec("INSERT INTO scan_sessions (directory, task_id) VALUES ($1, 'dead-root-scan')",
              db::Params(*root_));
    OtherProcessScan other(server_->database_url(), *root_, *root_ + "/odd", "odd-alive");
    Json j = post(R"({"directory": "demo"})", 201);
    EXPECT_NE(j["task_id"], "dead-root-scan");
    EXPECT_FALSE(j.contains("resume")) << j.dump();
    other.end();
    EXPECT_EQ(wait_done(j["task_id"])["status"], "completed");
    conn.exec("DELETE FROM scan_sessions WHERE task_id = 'dead-root-scan'");
}

// A session whose process is gone (killed mid-scan) is failed at the next read, not left
// running forever; one whose process holds its lock stays running.
TEST_F(ScanHttp, ASessionLeftRunningByADeadProcessIsFailed) {
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    conn.exec("INSERT INTO scan_sessions (directory, task_id) VALUES ($1, 'dead-process')",
              db::Params(*root_ + "/demo"));
    OtherProcessScan alive(server_->database_url(), "/elsewhere", "/elsewhere", "alive-process");
    auto c = server_->client();
    Json dead = body_json(c->Get("/api/tasks/status/dead-process"));
    EXPECT_EQ(dead["status"], "failed");
    EXPECT_EQ(dead["result"]["error"], "interrupted");
    EXPECT_EQ(body_json(c->Get("/api/tasks/status/alive-process"))["status"], "running");
    alive.end();
    conn.exec("DELETE FROM scan_sessions WHERE task_id = 'dead-process'");
}

TEST_F(ScanHttp, ScanStreamsProgressAndCompletes) {
    std::atomic<bool> connected{false};
    std::string frames;
    // The stream ends at this test's scan's library_update: an earlier test's scan may still be
    // publishing its own (its status is written before its event).
    std::mutex task_mutex;
    std::string our_task;
    auto ours_done = [&] {
        std::lock_guard lock(task_mutex);
        if (our_task.empty()) return false;
        for (size_t at = frames.find("library_update"); at != std::string::npos;
             at = frames.find("library_update", at + 1)) {
            size_t begin = frames.rfind("data: ", at), end = frames.find('\n', at);
            std::string line = frames.substr(begin, end == std::string::npos ? end : end - begin);
            if (line.find("\"task_id\":\"" + our_task + "\"") != std::string::npos) return true;
        }
        return false;
    };
    std::thread sse([&] {
        auto c = server_->client();
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        c->Get("/api/events", [&](const char* data, size_t n) {
            frames.append(data, n);
            if (frames.find("\"type\":\"connected\"") != std::string::npos) connected = true;
            return !ours_done() && std::chrono::steady_clock::now() < deadline;
        });
    });
    for (int i = 0; i < 200 && !connected; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(connected.load());

    // Two requests at once: never two scans of the directory at the same time.
    Json a, b;
    std::thread t1([&] { a = post("{}", 201); });
    std::thread t2([&] { b = post(R"({"cleanup_deleted": true})", 201); });
    t1.join();
    t2.join();
    std::string task = a["task_id"];
    {
        std::lock_guard lock(task_mutex);
        our_task = task;
    }
    Json done = wait_done(task);
    if (b["task_id"] != a["task_id"]) wait_done(b["task_id"]);
    EXPECT_TRUE(a.contains("resume") || b.contains("resume") || b["task_id"] != a["task_id"]);
    EXPECT_EQ(done["status"], "completed") << done.dump();
    sse.join();
    EXPECT_EQ(frames.rfind(
                  "data: {\"type\":\"connected\",\"message\":\"SSE connection established\"}", 0),
              0u);
    EXPECT_NE(frames.find("\"task_id\":\"" + task + "\""), std::string::npos)
        << frames.substr(0, 2000);
    EXPECT_NE(frames.find("\"type\":\"progress\""), std::string::npos);

    auto c = server_->client();
    Json sessions = body_json(c->Get("/api/scan-sessions/"));
    ASSERT_TRUE(sessions.is_array());
    ASSERT_GE(sessions.size(), 1u);
    Json s = sessions[0];
    EXPECT_EQ(s["status"], "completed");
    EXPECT_EQ(s["processed_files"], s["total_files"]);
    for (const char* k : {"id", "directory", "status", "last_processed_file", "processed_files",
                          "total_files", "task_id", "started_at", "updated_at"})
        EXPECT_TRUE(s.contains(k)) << k;

    // Every odd fixture was either imported or listed as an error; the demo files all imported.
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    int64_t id = s["id"];
    Json errors = body_json(
        c->Get(("/api/scan-sessions/" + std::to_string(id) + "/errors?limit=1000").c_str()));
    EXPECT_GT(errors["total"].get<int>(), 0);
    for (const auto& e : errors["errors"])
        EXPECT_FALSE(e["reason"].get<std::string>().empty());
    auto demo = conn.exec("SELECT count(*) FROM tracks WHERE path LIKE '%/demo/%'");
    EXPECT_EQ(demo.int64(0, 0), 40);
    auto missing = conn.exec(
        "SELECT count(*) FROM scan_sessions s WHERE s.id = $1 AND "
        "(SELECT count(*) FROM tracks) + (SELECT count(DISTINCT e.path) FROM scan_errors e "
        " WHERE e.session_id = s.id AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.path = e.path)) "
        "= (s.result->>'found')::int",
        db::Params(id));
    EXPECT_EQ(missing.int64(0, 0), 1) << s.dump();
    EXPECT_GT(conn.exec("SELECT count(*) FROM covers WHERE entity_type = 'album'").int64(0, 0), 0);
}

TEST_F(ScanHttp, SessionsAndTasksNotFound) {
    auto c = server_->client();
    auto r = c->Get("/api/scan-sessions/999999");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(body_json(r)["detail"], "Scan session not found");
    r = c->Delete("/api/scan-sessions/999999");
    EXPECT_EQ(r->status, 404);
    r = c->Get("/api/scan-sessions/abc");
    EXPECT_EQ(r->status, 422);
    r = c->Get("/api/tasks/status/unknown-task");
    EXPECT_EQ(r->status, 404);
    Json started = post(R"({"directory": "demo"})", 201);
    wait_done(started["task_id"]);
    Json list = body_json(c->Get("/api/scan-sessions"));
    int64_t id = list[0]["id"];
    r = c->Delete(("/api/scan-sessions/" + std::to_string(id)).c_str());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(body_json(r), Json({{"message", "Scan session deleted"}}));
}

TEST_F(ScanHttp, ARescanWithNothingToWriteStillCountsItsFiles) {
    wait_done(post(R"({"directory": "demo"})", 201)["task_id"]);
    Json again = post(R"({"directory": "demo"})", 201);
    EXPECT_EQ(wait_done(again["task_id"])["status"], "completed");
    Json sessions = body_json(server_->client()->Get("/api/scan-sessions/"));
    ASSERT_TRUE(sessions.is_array());
    Json s;
    for (const auto& x : sessions)
        if (x["task_id"] == again["task_id"]) s = x;
    ASSERT_TRUE(s.is_object()) << sessions.dump();
    EXPECT_EQ(s["total_files"], 40) << s.dump();  // no batch was written: nothing changed
    EXPECT_EQ(s["processed_files"], 40) << s.dump();
}

// A scan whose statement waits on a lock (a long write elsewhere) ends at once when cancelled
// (shutdown): the statement is cancelled on the server, not waited for.
TEST_F(ScanHttp, CancelStopsAScanWaitingOnALock) {
    db::Connection locker(db::ConnectOptions{server_->database_url(), 0, 3});
    db::Connection reader(db::ConnectOptions{server_->database_url(), 0, 3});
    locker.exec_script("BEGIN; LOCK TABLE tracks IN ACCESS EXCLUSIVE MODE");
    // Released after 5 s at the latest, so that a scan that is not cancelled fails the test
    // instead of hanging it.
    std::atomic<bool> done{false};
    std::thread release([&] {
        for (int i = 0; i < 100 && !done; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        locker.exec_script("ROLLBACK");
    });
    auto status = [&](const std::string& task) {
        auto r =
            reader.exec("SELECT status FROM scan_sessions WHERE task_id = $1", db::Params(task));
        return r.empty() ? std::string() : r.str(0, 0);
    };
    std::string task;
    std::chrono::steady_clock::duration took{};
    {
        services::ScanService scans(server_->runtime().services());
        task = scans.start(*root_ + "/demo", true).task_id;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // reading `tracks`: waits
        ASSERT_EQ(status(task), "running");
        auto asked = std::chrono::steady_clock::now();
        scans.cancel();
        for (int i = 0; i < 100 && status(task) == "running"; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        took = std::chrono::steady_clock::now() - asked;
    }
    done = true;
    release.join();
    EXPECT_EQ(status(task), "cancelled");
    // The lock is released after 5 s: ending well before it means the cancel, not the release,
    // ended the scan (a loaded machine may take a while to get there).
    EXPECT_LT(took, std::chrono::seconds(4)) << "the scan waited for the lock";
}

// artist_separators, artist_split_exceptions and album_cover_files (settings) replace the
// scanner's defaults for the files a scan reads. The demo writes "X feat. Y" artists: with ";"
// as the only separator they stay one name; with the default separators they are split. A folder
// image is an album's cover only under a name the setting lists.
TEST_F(ScanHttp, ArtistSplitSettingsReplaceTheDefaults) {
    db::Connection conn(db::ConnectOptions{server_->database_url(), 0, 3});
    // A count over the rows under dir ($1: the folder with a trailing slash).
    auto count_under = [&](const char* sql, const std::string& dir) {
        return conn.exec(sql, db::Params(dir + "/")).int64(0, 0);
    };
    auto feat_names = [&](const std::string& dir) {
        return count_under(
            "SELECT count(*) FROM track_artists ta JOIN artists a ON a.id = ta.artist_id "
            "JOIN tracks t ON t.id = ta.track_id WHERE starts_with(t.path, $1) AND "
            "a.name LIKE '% feat. %'",
            dir);
    };
    // A front.png in every folder: an album cover only when album_cover_files names it.
    auto add_front_png = [](const std::string& dir) {
        for (const auto& e : fs::recursive_directory_iterator(dir))
            if (e.is_directory()) std::ofstream(e.path() / "front.png") << png_bytes(40, 40);
    };
    scanner::DemoOptions o;
    o.files = 12;  // track 5 has a "feat." artist
    scanner::generate_library(*root_ + "/split-default", o);
    add_front_png(*root_ + "/split-default");
    EXPECT_EQ(wait_done(post(R"({"directory": "split-default"})", 201)["task_id"])["status"],
              "completed");
    EXPECT_EQ(feat_names(*root_ + "/split-default"), 0);

    auto c = server_->client();
    auto res = c->Post("/api/settings/", R"({"key": "artist_separators", "value": [";"]})",
                       "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    res = c->Put("/api/settings/album_cover_files", R"({"value": ["front.png"]})",
                 "application/json");
    ASSERT_EQ(res->status, 200) << res->body;
    scanner::generate_library(*root_ + "/split-custom", o);
    // Album covers from a folder image: their source is the folder, not an audio file.
    auto folder_covers = [&](const std::string& dir) {
        return count_under(
            "SELECT count(*) FROM covers c WHERE entity_type = 'album' AND "
            "starts_with(source_path, $1) AND image_id IS NOT NULL AND "
            "NOT EXISTS (SELECT 1 FROM tracks t WHERE t.path = c.source_path)",
            dir);
    };
    add_front_png(*root_ + "/split-custom");
    EXPECT_EQ(wait_done(post(R"({"directory": "split-custom"})", 201)["task_id"])["status"],
              "completed");
    EXPECT_GT(feat_names(*root_ + "/split-custom"), 0);
    EXPECT_GT(folder_covers(*root_ + "/split-custom"), 0);
    EXPECT_EQ(folder_covers(*root_ + "/split-default"), 0);  // default names only
    conn.exec("DELETE FROM settings WHERE key IN ('artist_separators', 'album_cover_files')");
    fs::remove_all(*root_ + "/split-default");
    fs::remove_all(*root_ + "/split-custom");
}

}  // namespace
}  // namespace sonique::test
