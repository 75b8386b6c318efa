// serve's background analysis (app/analysis_scheduler.cpp): a completed scan starts a run, whose
// progress reaches the event bus (hence the SSE stream) under one task id.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "analysis_scheduler.hpp"
#include "cache/pubsub.hpp"
#include "db/connection.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"
#include "services/sonic_index.hpp"
#include "signals.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono_literals;

// An event of a run started in this process: other suites' servers and `sonique analyze` runs
// publish on the same Redis at the same time (ctest runs suites in parallel).
bool ours(const Json& m) {
    return m.value("task_id", "").starts_with("analysis-" + std::to_string(::getpid()) + "-");
}

TEST(AnalysisScheduler, ACompletedScanStartsARunWithProgressEventsUnderOneTaskId) {
    SignalDir dir;
    for (int i = 0; i < 3; ++i)
        dir.make("t" + std::to_string(i) + ".flac",
                 "sine=f=" + std::to_string(300 + 100 * i) + ":d=6",
                 "-metadata title=T" + std::to_string(i));
    TestServer srv("analysis_scheduler", [&](Config& c) {
        c.music_roots = {dir.path()};
        c.analysis_workers = 1;
    });
    auto& events = srv.runtime().services().events;
    std::mutex mu;
    std::vector<Json> progress, notifications;
    int token = events.subscribe([&](const std::string& channel, const std::string& message) {
        Json m = parse_json(message);
        std::lock_guard lock(mu);
        if (!ours(m)) return;
        if (channel == services::kProgressChannel && m.value("step", "") == "analysis")
            progress.push_back(m);
        if (channel == services::kNotificationsChannel && m.value("type", "") == "analysis_update")
            notifications.push_back(m);
    });
    {
        app::AnalysisScheduler scheduler(srv.runtime().config(), srv.runtime().services());
        // The start-up run (an empty library, no events) ends before the scan: a loaded machine
        // could otherwise start it late enough to see part of the scan's tracks.
        ASSERT_TRUE(scheduler.wait_idle(30s));
        services::ScanService scans(srv.runtime().services());
        scans.run_foreground(dir.path(), true, {}, false);  // publishes library_update completed
        auto deadline = std::chrono::steady_clock::now() + 120s;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mu);
                if (!notifications.empty()) break;
            }
            std::this_thread::sleep_for(50ms);
        }
    }
    events.unsubscribe(token);
    std::lock_guard lock(mu);
    ASSERT_EQ(notifications.size(), 1u) << Json(notifications).dump();
    EXPECT_EQ(notifications[0]["status"], "completed");
    EXPECT_EQ(notifications[0]["analysed"], 3);
    ASSERT_FALSE(progress.empty());
    std::string task = notifications[0]["task_id"];
    EXPECT_TRUE(task.starts_with("analysis-")) << task;
    for (const auto& p : progress) {
        EXPECT_EQ(p["task_id"], task);
        EXPECT_EQ(p["total"], 3);
    }
    EXPECT_EQ(progress.back()["current"], 3);
    EXPECT_EQ(progress.back()["percent"], 100);
    db::Connection conn({srv.database_url(), 0, 5});
    EXPECT_EQ(conn.exec("SELECT count(*) FROM track_analysis").int64(0, 0), 3);

    // The status route shows the run under the same task id, and the run's vectors joined the
    // sonic set (the scheduler asks it to look at the database when a run ends).
    srv.runtime().services().sonic->wait_idle();
    auto res = srv.client()->Get("/api/analysis/status");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json status = body_json(res);
    EXPECT_EQ(status["running"], false);
    EXPECT_EQ(status["analysed"], 3);
    EXPECT_EQ(status["task"]["task_id"], task);
    EXPECT_EQ(status["task"]["status"], "completed");
    EXPECT_EQ(status["task"]["done"], 3);
    EXPECT_EQ(status["task"]["total"], 3);
    EXPECT_EQ(status["sonic_index"]["tracks"]["size"], 3);
}

// The values a run fills (docs/analysis.md, "Values the tags lacked") show at once in answers
// the cache already held: the run bumps their namespaces as a scan batch does.
TEST(AnalysisScheduler, CachedTracksShowTheValuesTheRunFilled) {
    SignalDir dir;
    dir.make("chord.flac",
             "aevalsrc='0.2*sin(2*PI*220*t)+0.2*sin(2*PI*277.18*t)+0.2*sin(2*PI*329.63*t)':d=8",
             "-metadata title=Chord");
    TestServer srv("analysis_scheduler_cache", [&](Config& c) {
        c.music_roots = {dir.path()};
        c.analysis_workers = 1;
    });
    services::ScanService scans(srv.runtime().services());
    scans.run_foreground(dir.path(), true, {}, false);  // no scheduler yet: nothing analysed
    db::Connection conn({srv.database_url(), 0, 5});
    std::string path =
        "/api/tracks/" + conn.exec("SELECT id FROM tracks WHERE title = 'Chord'").str(0, 0);
    auto cli = srv.client();
    auto res = cli->Get(path);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_TRUE(body_json(res)["key"].is_null()) << res->body;  // now cached

    auto& events = srv.runtime().services().events;
    std::mutex mu;
    bool done = false;
    int token = events.subscribe([&](const std::string& channel, const std::string& message) {
        Json m = parse_json(message);
        std::lock_guard lock(mu);
        if (channel == services::kNotificationsChannel &&
            m.value("type", "") == "analysis_update" && ours(m))
            done = true;
    });
    {
        // Its start-up run finds the unanalysed track.
        app::AnalysisScheduler scheduler(srv.runtime().config(), srv.runtime().services());
        auto deadline = std::chrono::steady_clock::now() + 120s;
        while (std::chrono::steady_clock::now() < deadline) {
            {
                std::lock_guard lock(mu);
                if (done) break;
            }
            std::this_thread::sleep_for(50ms);
        }
    }
    events.unsubscribe(token);
    ASSERT_TRUE(done);
    res = cli->Get(path);
    ASSERT_TRUE(res);
    Json track = body_json(res);
    EXPECT_EQ(track["key"], "A") << res->body;
    EXPECT_EQ(track["scale"], "major");
    EXPECT_EQ(track["camelot_key"], "11B");
}

}  // namespace
}  // namespace sonique::test
