// The long-lived worker process (AnalysisWorker): one process answers file after file, runs at
// idle priority with an empty environment and only its socket open (as descriptor 3), and is
// replaced after a time-out, a crash or its death between files, without the next file paying for
// it.
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "analysis/worker.hpp"
#include "signals.hpp"

namespace sonique::analysis {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A process is gone (or a zombie waiting to be reaped): it can no longer read its socket.
bool ended(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    auto close = text.rfind(')');
    return close == std::string::npos || text.substr(close + 2, 1) == "Z";
}

void wait_ended(pid_t pid) {
    for (int i = 0; i < 500 && !ended(pid); ++i)
        std::this_thread::sleep_for(10ms);
}

class Worker : public ::testing::Test {
  protected:
    test::SignalDir dir_;
    std::string tone_ = dir_.make("tone.flac", "sine=f=440:d=3");
    std::string noise_ = dir_.make("noise.ogg", "anoisesrc=d=3:c=pink");
};

TEST_F(Worker, OneProcessAnswersFileAfterFileWithTheInProcessResults) {
    AnalysisWorker worker;
    EXPECT_EQ(worker.pid(), -1);  // started by the first file
    auto a = worker.analyse(tone_, {}, 30s);
    pid_t first = worker.pid();
    auto b = worker.analyse(noise_, {}, 30s);
    auto c = worker.analyse(tone_, {}, 30s);
    ASSERT_TRUE(a.features && b.features && c.features) << a.error << b.error << c.error;
    EXPECT_GT(first, 0);
    EXPECT_EQ(worker.pid(), first);
    EXPECT_EQ(a.features->values, analyse_file(tone_).values);
    EXPECT_EQ(b.features->values, analyse_file(noise_).values);
    EXPECT_EQ(c.features->values, a.features->values);
}

TEST_F(Worker, RunsAtIdlePriorityWithAnEmptyEnvironmentAndOnlyItsSocket) {
    AnalysisWorker worker;
    ASSERT_TRUE(worker.analyse(tone_, {}, 30s).features);
    pid_t pid = worker.pid();
    EXPECT_EQ(::sched_getscheduler(pid), SCHED_IDLE);
    std::ifstream environ("/proc/" + std::to_string(pid) + "/environ");
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(environ)), {}), "");
    std::vector<std::string> fds;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
        fds.push_back(e.path().filename());
    std::sort(fds.begin(), fds.end());
    // The server's standard descriptors and the socket as 3, nothing else of the server's.
    EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2", "3"}));
    EXPECT_TRUE(
        fs::read_symlink("/proc/" + std::to_string(pid) + "/fd/3").string().starts_with("socket:"));
}

TEST_F(Worker, AfterATimeOutTheNextFileGetsAFreshProcess) {
    std::string fifo = dir_.path() + "/blocked.flac";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);  // opening it for reading never returns
    AnalysisWorker worker;
    ASSERT_TRUE(worker.analyse(tone_, {}, 30s).features);
    pid_t first = worker.pid();
    auto stuck = worker.analyse(fifo, {}, 300ms);
    EXPECT_TRUE(stuck.error.starts_with(kTimedOutReason)) << stuck.error;
    EXPECT_EQ(worker.pid(), -1);
    EXPECT_TRUE(ended(first));
    auto next = worker.analyse(tone_, {}, 30s);
    ASSERT_TRUE(next.features) << next.error;
    EXPECT_NE(worker.pid(), first);
}

TEST_F(Worker, AProcessKilledBetweenFilesCostsTheNextFileNothing) {
    AnalysisWorker worker;
    ASSERT_TRUE(worker.analyse(tone_, {}, 30s).features);
    pid_t first = worker.pid();
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    wait_ended(first);
    auto next = worker.analyse(noise_, {}, 30s);
    ASSERT_TRUE(next.features) << next.error;
    EXPECT_NE(worker.pid(), first);
}

TEST_F(Worker, AProcessThatDiesOnAFileGivesThatFileTheReason) {
    std::string fifo = dir_.path() + "/blocked.flac";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    AnalysisWorker worker;
    // The worker blocks on the fifo; killing it then is a crash on that file, which a fresh
    // process's retry would meet again: the file's answer is the crash, not a hang.
    std::thread killer([&] {
        for (int i = 0; i < 500 && worker.pid() <= 0; ++i)
            std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(200ms);
        ::kill(worker.pid(), SIGSEGV);
    });
    auto out = worker.analyse(fifo, {}, 3s);
    killer.join();
    EXPECT_FALSE(out.features);
    EXPECT_EQ(out.error, "analyser crashed (signal 11)");
}

TEST_F(Worker, AProcessIsReplacedAfterItsShareOfFiles) {
    std::string tiny = dir_.make("tiny.wav", "sine=f=440:d=0.2");
    AnalysisWorker worker;
    ASSERT_TRUE(worker.analyse(tiny, {}, 30s).features);
    pid_t first = worker.pid();
    for (int i = 1; i < AnalysisWorker::kFilesPerProcess; ++i)
        ASSERT_TRUE(worker.analyse(tiny, {}, 30s).features) << i;
    EXPECT_EQ(worker.pid(), -1);  // the last of its share ended it
    EXPECT_TRUE(worker.analyse(tiny, {}, 30s).features);
    EXPECT_NE(worker.pid(), first);
}

}  // namespace
}  // namespace sonique::analysis
