// GET /api/tracks/{id}/audio-analysis over HTTP on a scanned and analysed library.
#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/features.hpp"
#include "analysis/runner.hpp"
#include "db/connection.hpp"
#include "scanner/scanner.hpp"
#include "services/scan.hpp"
#include "signals.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

TEST(AudioAnalysisRoute, AnswersTheStoredFeaturesAnd404sAndA422) {
    SignalDir dir;
    std::filesystem::create_directories(dir.path() + "/a");
    std::filesystem::create_directories(dir.path() + "/b");
    dir.make("a/clicks.flac",
             "aevalsrc='0.8*lt(mod(t,0.5),0.005)*sin(2*PI*2000*t)*exp(-300*mod(t,0.5))':d=12",
             "-metadata title=Clicks");
    dir.make("b/tone.flac", "sine=f=440:d=5", "-metadata title=Tone");
    TestServer srv("analysis_http", [&](Config& c) { c.music_roots = {dir.path()}; });
    services::ScanService scans(srv.runtime().services());
    scans.run_foreground(dir.path(), true, {}, false);
    analysis::RunOptions options;
    options.roots = {dir.path() + "/a"};  // the tone stays unanalysed
    auto summary = analysis::run_analysis({srv.database_url(), 0, 5}, options);
    ASSERT_EQ(summary.analysed, 1);

    db::Connection conn({srv.database_url(), 0, 5});
    auto ids = conn.exec(
        "SELECT (SELECT id FROM tracks WHERE title = 'Clicks'), "
        "(SELECT id FROM tracks WHERE title = 'Tone'), "
        "(SELECT max(id) + 1000 FROM tracks)");
    auto cli = srv.client();

    auto res = cli->Get("/api/tracks/" + ids.str(0, 0) + "/audio-analysis");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json body = body_json(res);
    EXPECT_EQ(body["version"], analysis::kAnalyserVersion);
    EXPECT_EQ(body["current_version"], analysis::kAnalyserVersion);
    EXPECT_EQ(body["vector"].size(), analysis::kFeatureCount);
    EXPECT_NEAR(body["features"]["tempo"].get<double>(), 120.0, 2.0);
    EXPECT_NEAR(body["seconds_analysed"].get<double>(), 12.0, 0.2);
    EXPECT_EQ(body["file_changed"], false);
    EXPECT_TRUE(body["key"].is_string());

    res = cli->Get("/api/tracks/" + ids.str(0, 1) + "/audio-analysis");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(body_json(res)["detail"], "Analyse audio non trouvée");

    res = cli->Get("/api/tracks/" + ids.str(0, 2) + "/audio-analysis");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(body_json(res)["detail"], "Piste non trouvée");

    res = cli->Get("/api/tracks/abc/audio-analysis");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
}

}  // namespace
}  // namespace sonique::test
