// Every file of the shared odd-audio fixtures through the worker processes: no crash and no
// hang reach the test process, each file comes back with features or a reason, and a file that
// blocks its reader is stopped at the time limit.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "analysis/isolated.hpp"
#include "analysis/worker.hpp"
#include "signals.hpp"
#include "support/test_env.hpp"

namespace sonique::analysis {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Short enough that the files that loop forever keep the suite under a minute on two cores.
constexpr auto kTimeLimit = 4s;

TEST(OddFiles, EveryFileComesBackWithFeaturesOrAReason) {
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(test::fixtures_dir() + "/odd-audio"))
        if (e.is_regular_file() && e.path().extension() != ".md") files.push_back(e.path());
    ASSERT_GT(files.size(), 50u);

    std::mutex mu;
    std::vector<std::pair<std::string, IsolatedOutcome>> outcomes;
    std::atomic<size_t> next{0};
    auto worker = [&] {
        // One worker process per thread, as a run has: files that crash or hang it are
        // followed by files that a fresh process must answer.
        AnalysisWorker process;
        for (size_t i; (i = next++) < files.size();) {
            // 30 s excerpts: the setting's default, and what bounds a long file's time.
            auto out = process.analyse(files[i], {.excerpt_seconds = 30}, kTimeLimit);
            std::lock_guard lock(mu);
            outcomes.emplace_back(fs::path(files[i]).filename(), std::move(out));
        }
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();

    size_t analysed = 0, refused = 0, timed_out = 0;
    for (const auto& [name, out] : outcomes) {
        EXPECT_FALSE(out.cancelled) << name;
        EXPECT_NE(out.features.has_value(), !out.error.empty()) << name;
        if (out.features) {
            ++analysed;
            for (float v : out.features->values)
                EXPECT_TRUE(std::isfinite(v)) << name;
        } else {
            ++refused;
            if (out.error.starts_with(kTimedOutReason)) ++timed_out;
        }
    }
    std::printf("odd-audio: %zu analysed, %zu refused (%zu timed out)\n", analysed, refused,
                timed_out);
    EXPECT_EQ(outcomes.size(), files.size());
    EXPECT_GT(analysed, 20u);  // most fixtures are odd but playable
    EXPECT_GT(refused, 5u);    // and some are not audio at all
}

TEST(OddFiles, AFileThatBlocksItsReaderIsStoppedAtTheTimeLimit) {
    test::SignalDir dir;
    std::string fifo = dir.path() + "/blocked.flac";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);  // opening it for reading never returns
    auto out = analyse_isolated(fifo, {}, 500ms);
    EXPECT_FALSE(out.features);
    EXPECT_TRUE(out.error.starts_with(kTimedOutReason)) << out.error;
}

TEST(OddFiles, CancelStopsTheChildAtOnce) {
    test::SignalDir dir;
    std::string fifo = dir.path() + "/blocked.flac";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancel = true;
    });
    auto out = analyse_isolated(fifo, {}, 60s, &cancel);
    canceller.join();
    // Cancelled, not timed out: the outcome says which ended the wait.
    EXPECT_TRUE(out.cancelled);
    EXPECT_FALSE(out.features);
}

TEST(OddFiles, AGoodFileAnalysedInAChildMatchesTheInProcessResult) {
    test::SignalDir dir;
    std::string file = dir.make("tone.flac", "sine=f=440:d=5");
    auto out = analyse_isolated(file, {}, 30s);
    ASSERT_TRUE(out.features) << out.error;
    EXPECT_EQ(out.features->values, analyse_file(file).values);
    EXPECT_NEAR(out.features->seconds_analysed, 5.0, 0.1);
}

}  // namespace
}  // namespace sonique::analysis
