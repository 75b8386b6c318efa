// `sonique analyze` on a scanned library, through the real binary: results stored per track,
// a run killed with SIGKILL resumes where it stopped, only new and changed tracks are analysed
// again, a file that cannot be decoded is recorded with its reason, and one run at a time.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>

#include "analysis/features.hpp"
#include "db/connection.hpp"
#include "db/lock_keys.hpp"
#include "signals.hpp"
#include "support/instances.hpp"
#include "support/test_env.hpp"

extern char** environ;

namespace sonique::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int kTracks = 24;

// Cuts a FLAC file after its last metadata block: a valid header and tags, no audio frames.
void keep_only_flac_metadata(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_EQ(data.substr(0, 4), "fLaC");
    size_t pos = 4;
    bool last = false;
    while (!last && pos + 4 <= data.size()) {
        auto b = [&](size_t i) { return static_cast<unsigned char>(data[pos + i]); };
        last = (b(0) & 0x80) != 0;
        pos += 4 + ((static_cast<size_t>(b(1)) << 16) | (static_cast<size_t>(b(2)) << 8) | b(3));
    }
    ASSERT_LT(pos, data.size());
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(data.data(), static_cast<std::streamsize>(pos));
}

class AnalyzeCli : public ::testing::Test {
  protected:
    AnalyzeCli() : db_("analyze_cli"), conn_({db_.url(), 0, 5}) {
        for (int i = 0; i < kTracks; ++i) {
            // Tones and click tracks at different pitches and tempi, 15 s each.
            double period = 0.4 + 0.02 * i;
            std::string p = std::to_string(period);
            std::string src = "aevalsrc='0.3*sin(2*PI*" + std::to_string(200 + 25 * i) +
                              "*t)+0.6*lt(mod(t," + p + "),0.005)*sin(2*PI*2000*t)':s=44100:d=15";
            signals_.make("track" + std::to_string(100 + i) + ".flac", src,
                          "-metadata title=T" + std::to_string(i));
        }
        env_ = "DATABASE_URL='" + db_.url() + "' REDIS_URL=none MUSIC_PATH='" + signals_.path() +
               "' SONIQUE_ANALYSIS_WORKERS=1 SONIQUE_ANALYSIS_EXCERPT_S=0 LOG_LEVEL=info ";
        binary_ = std::string(SONIQUE_BINARY_DIR) + "/app/sonique";
        run_command(env_ + binary_ + " scan '" + signals_.path() + "' 2>&1");
    }

    std::string analyze(const std::string& args = "") {
        return run_command(env_ + binary_ + " analyze " + args + " '" + signals_.path() + "' 2>&1");
    }
    int64_t count(const std::string& sql) { return conn_.exec(sql).int64(0, 0); }
    std::map<int64_t, std::string> analysed_at() {
        auto r = conn_.exec("SELECT track_id, analysed_at::text FROM track_analysis");
        std::map<int64_t, std::string> out;
        for (int i = 0; i < r.rows(); ++i)
            out[r.int64(i, 0)] = r.str(i, 1);
        return out;
    }

    TestDatabase db_;
    db::Connection conn_;
    SignalDir signals_;
    std::string env_;
    std::string binary_;
};

TEST_F(AnalyzeCli, AKilledRunResumesAndOnlyNewOrChangedTracksAreAnalysedAgain) {
    ASSERT_EQ(count("SELECT count(*) FROM tracks"), kTracks);
    // Start a run and kill it with SIGKILL once it has stored its first results.
    std::string cmd = env_ + "exec " + binary_ + " analyze '" + signals_.path() + "' 2>/dev/null";
    const char* argv[] = {"/bin/sh", "-c", cmd.c_str(), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, const_cast<char**>(argv), environ),
              0);
    auto deadline = std::chrono::steady_clock::now() + 120s;
    while (count("SELECT count(*) FROM track_analysis") == 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // The killed run's backend lets go of the analysis lock when PostgreSQL sees the socket
    // closed: on a loaded machine that can be after the next run has tried the lock (busy).
    auto lock_free = [&] {
        bool got =
            conn_.exec("SELECT pg_try_advisory_lock($1)", db::Params(db::lock_keys::kAnalysis))
                .boolean(0, 0);
        if (got) conn_.exec("SELECT pg_advisory_unlock($1)", db::Params(db::lock_keys::kAnalysis));
        return got;
    };
    deadline = std::chrono::steady_clock::now() + 30s;
    while (!lock_free() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    int64_t stored = count("SELECT count(*) FROM track_analysis");
    ASSERT_GT(stored, 0) << "nothing stored before the deadline";
    ASSERT_LT(stored, kTracks) << "the run finished before it could be killed";
    auto first = analysed_at();

    // The next run analyses only what is left; the first run's rows are not touched.
    std::string out = analyze();
    EXPECT_NE(out.find(std::to_string(kTracks - stored) + " tracks analysed"), std::string::npos)
        << out;
    EXPECT_EQ(count("SELECT count(*) FROM track_analysis WHERE version = " +
                    std::to_string(analysis::kAnalyserVersion) +
                    " AND cardinality(features) = " + std::to_string(analysis::kFeatureCount)),
              kTracks);
    auto second = analysed_at();
    for (const auto& [id, at] : first)
        EXPECT_EQ(second[id], at) << "track " << id << " analysed twice";
    // Stored features are the file's: the first track clicks every 0.4 s (150 BPM).
    auto r = conn_.exec(
        "SELECT a.features[$1] FROM track_analysis a JOIN tracks t ON t.id = a.track_id "
        "WHERE t.path LIKE '%/track100.flac'",
        db::Params(static_cast<int>(analysis::kTempoIndex) + 1));
    EXPECT_NEAR(r.dbl(0, 0), 150.0, 2.0);

    // Nothing left: a third run analyses nothing.
    out = analyze();
    EXPECT_NE(out.find(" 0 tracks analysed"), std::string::npos) << out;
}

TEST_F(AnalyzeCli, AChangedFileIsAnalysedAgainAndAnUndecodableOneRecordedWithItsReason) {
    analyze();
    ASSERT_EQ(count("SELECT count(*) FROM track_analysis"), kTracks);
    // The scan sees both files change: one is re-encoded, the other cut after its metadata, so
    // that TagLib still reads it as a FLAC file but it holds no audio to decode.
    std::string changed = signals_.path() + "/track101.flac";
    std::string broken = signals_.path() + "/track102.flac";
    signals_.make("track101.flac", "sine=f=1000:d=20", "-metadata title=T1");
    keep_only_flac_metadata(broken);
    auto old = analysed_at();
    // The scan updates the tracks' mtime and size; the analysis then redoes those two.
    run_command(env_ + binary_ + " scan '" + signals_.path() + "' 2>&1");
    std::string out = analyze();
    auto now = analysed_at();
    int64_t changed_id =
        count("SELECT id FROM tracks WHERE path = '" + changed + "'");  // fixture path, no quote
    EXPECT_NE(now[changed_id], old[changed_id]);
    int redone = 0;
    for (const auto& [id, at] : now)
        redone += at != old[id];
    EXPECT_EQ(redone, 1) << out;  // the broken one has no features of its current file
    int64_t broken_id = count("SELECT id FROM tracks WHERE path = '" + broken + "'");
    auto f = conn_.exec("SELECT track_id, reason, version FROM analysis_failures");
    ASSERT_EQ(f.rows(), 1) << out;
    EXPECT_EQ(f.int64(0, 0), broken_id);
    EXPECT_EQ(f.str(0, 1), "no audio decoded");
    EXPECT_EQ(f.int64(0, 2), analysis::kAnalyserVersion);
    EXPECT_NE(out.find("1 could not be read"), std::string::npos) << out;
    // A failed file is not tried again until it changes.
    out = analyze();
    EXPECT_NE(out.find(" 0 tracks analysed, 0 could not be read"), std::string::npos) << out;
    // --full analyses every track again.
    out = analyze("--full");
    EXPECT_NE(out.find(std::to_string(kTracks - 1) + " tracks analysed, 1 could not be read"),
              std::string::npos)
        << out;
}

TEST_F(AnalyzeCli, OneAnalysisAtATimeAcrossServers) {
    db::Connection holder({db_.url(), 0, 5});
    holder.exec("SELECT pg_advisory_lock($1)", db::Params(db::lock_keys::kAnalysis));
    EXPECT_THROW(analyze(), std::runtime_error);  // exit status 1
    EXPECT_EQ(count("SELECT count(*) FROM track_analysis"), 0);
    holder.exec("SELECT pg_advisory_unlock($1)", db::Params(db::lock_keys::kAnalysis));
    analyze();
    EXPECT_EQ(count("SELECT count(*) FROM track_analysis"), kTracks);
}

}  // namespace
}  // namespace sonique::test
