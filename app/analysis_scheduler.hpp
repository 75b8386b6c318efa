#pragma once
// `serve`'s background analysis: a run starts at start-up (to finish one a restart or kill -9
// interrupted) and after every completed scan, here or on another server sharing the Redis
// event bus. A run finds by itself what a scan added or changed; one with nothing to do ends
// at once and says nothing. Progress goes to the SSE stream with a task id. One thread.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "analysis/runner.hpp"
#include "core/config.hpp"
#include "services/context.hpp"

namespace sonique::app {

class AnalysisScheduler {
  public:
    // Starts the thread and a first run. Throws std::system_error when no thread can start.
    AnalysisScheduler(const Config& config, services::ServiceContext& services);
    // Cancels a run in progress (its children are killed) and joins. noexcept.
    ~AnalysisScheduler();
    AnalysisScheduler(const AnalysisScheduler&) = delete;

    // Asks for a run once the current one (if any) has ended. Any thread.
    void request();
    // Waits until no run is going or asked for (the start-up run included); false when the
    // timeout passed first. Lets a caller tell the start-up run from the next. Any thread.
    bool wait_idle(std::chrono::milliseconds timeout);

  private:
    void loop();
    void run_once();
    void record(const std::string& task_id, const std::string& status,
                const analysis::RunProgress& progress);

    const Config& config_;
    services::ServiceContext& services_;
    int listener_ = 0;
    std::atomic<bool> cancel_{false};
    std::mutex mu_;
    std::condition_variable cv_;
    bool requested_ = true;
    bool stop_ = false;
    bool running_ = false;
    int runs_ = 0;
    std::thread thread_;
};

}  // namespace sonique::app
