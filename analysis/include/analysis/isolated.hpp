#pragma once
// Analysis of one file in a child process: a file that crashes or hangs a decoder costs only
// that file, which comes back with the reason. The child runs at the lowest CPU priority
// (SCHED_IDLE, else nice 19), so that playback and the API never wait for it.
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

// Forks a child that analyses path and waits for its answer for at most `timeout`; a child that
// dies, stalls or answers garbage is killed and reaped, and its file gets an error. cancel (may
// be null) is looked at every 100 ms. Throws std::runtime_error only when no child can be
// started (pipe or fork failed). Any thread.
IsolatedOutcome analyse_isolated(const std::string& path, const AnalysisOptions& options,
                                 std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace sonique::analysis
