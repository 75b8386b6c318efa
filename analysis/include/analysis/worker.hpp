#pragma once
// A long-lived analysis process: AnalysisWorker execs sonique-analysis-worker once and hands it
// one file after another over a socket pair. The process runs at idle CPU priority with an empty
// environment and only its socket (descriptor 3) and standard descriptors open, so a hostile file
// that crashes or hangs a decoder costs only that file: the worker is killed, the file gets the
// reason, and the next file starts a fresh process. Exec (never a forked copy of the multi-threaded
// server running FFmpeg) means no lock another thread held at the fork can be inherited; reusing
// the process keeps the exec's cost (some 20–50 ms of CPU) off every file.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <string>

#include "analysis/isolated.hpp"
#include "core/unique_fd.hpp"

namespace sonique::analysis {

class AnalysisWorker {
  public:
    AnalysisWorker() = default;
    // Closes the worker's input (it exits at once when idle) and reaps it; kills it if it has
    // not gone within a second.
    ~AnalysisWorker();
    AnalysisWorker(const AnalysisWorker&) = delete;
    AnalysisWorker& operator=(const AnalysisWorker&) = delete;

    // Analyses path in the worker process (starting one if none runs) and waits for its answer
    // for at most `timeout`. A worker that dies, stalls or answers garbage is killed and
    // reaped, and the file gets an error; cancel (may be null) is looked at every 100 ms and
    // kills the worker. Throws std::runtime_error only when no worker can be started (no
    // executable, pipe or fork failed). The thread that owns this object.
    IsolatedOutcome analyse(const std::string& path, const AnalysisOptions& options,
                            std::chrono::milliseconds timeout,
                            const std::atomic<bool>* cancel = nullptr);

    // The running worker's process id, or -1 (for tests).
    pid_t pid() const noexcept { return pid_; }
    // Files a process answers before it is replaced, which bounds what a decoder's leak or
    // fragmentation can hold.
    static constexpr int kFilesPerProcess = 256;

  private:
    using Clock = std::chrono::steady_clock;
    void start();
    // Reads the running process's answer to the request just sent.
    IsolatedOutcome answer(Clock::time_point deadline, std::chrono::milliseconds timeout,
                           const std::atomic<bool>* cancel);
    // Ends the worker (killing it first when kill_now) and returns its wait status.
    int stop(bool kill_now) noexcept;

    pid_t pid_ = -1;
    UniqueFd sock_;  // our end of the socket pair that is the worker's descriptor 3
    int files_ = 0;
};

// The body of sonique-analysis-worker: answers requests on its descriptor 3 until end of file.
// Returns the exit status. Main thread of that process.
int run_analysis_worker();

}  // namespace sonique::analysis
