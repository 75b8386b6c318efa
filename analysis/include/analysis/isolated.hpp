#pragma once
// Analysis of untrusted files outside the server's process: a file that crashes or hangs a
// decoder costs only that file, which comes back with the reason. Runs and long jobs keep an
// AnalysisWorker (analysis/worker.hpp) per thread; analyse_isolated is the one-file form.
#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "analysis/analyse.hpp"

namespace sonique::analysis {

struct IsolatedOutcome {
    std::optional<TrackFeatures> features;  // set on success
    std::string error;                      // the reason otherwise
    bool cancelled = false;                 // cancel became true: no outcome for this file
};

// How the reason of a file that took longer than the time limit begins.
inline constexpr std::string_view kTimedOutReason = "analysis timed out";

// One file through a worker process of its own (AnalysisWorker::analyse, then the process
// ends). Throws std::runtime_error only when no worker can be started. Any thread.
IsolatedOutcome analyse_isolated(const std::string& path, const AnalysisOptions& options,
                                 std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace sonique::analysis
