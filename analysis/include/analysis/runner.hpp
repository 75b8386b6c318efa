#pragma once
// A library analysis run: finds the tracks that need analysing (no row of the current analyser
// version, or a file that changed since), analyses them in child processes and stores each
// result as it comes, so that a run killed at any point resumes where it stopped. One run at a
// time across server instances (an advisory lock, db/lock_keys.hpp).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/analyse.hpp"
#include "db/connection.hpp"

namespace sonique::analysis {

struct RunOptions {
    bool full = false;               // analyse every track again, also those already current
    std::vector<std::string> roots;  // only tracks under these absolute folders; empty: all
    AnalysisOptions analysis;
    std::chrono::milliseconds time_limit{120000};  // per file
    int workers = 1;                               // files analysed at once (child processes)
    const std::atomic<bool>* cancel = nullptr;     // stops the run (in-flight files are dropped)
};

struct RunProgress {
    int64_t total = 0;  // tracks to analyse in this run
    int64_t done = 0;
    int64_t analysed = 0;
    int64_t failed = 0;
    double elapsed_s = 0;
    double remaining_s = -1;  // estimate; -1 until something is done
    // Albums whose analysed loudness or ReplayGain changed (written or removed) so far.
    int64_t albums_changed = 0;
};

struct RunSummary {
    bool busy = false;  // another run holds the lock: nothing was done
    bool cancelled = false;
    int64_t total = 0;
    int64_t analysed = 0;
    int64_t failed = 0;
    int64_t albums_changed = 0;  // as RunProgress::albums_changed, the final refresh included
    double seconds = 0;
};

// Runs one analysis on its own connection (statement timeout off). progress (may be empty) is
// called on the calling thread after each stored batch and at the end. Throws db::DbError when
// the database fails, std::runtime_error when no child process can be started. Any thread.
RunSummary run_analysis(const db::ConnectOptions& connect, const RunOptions& options,
                        const std::function<void(const RunProgress&)>& progress = {});

}  // namespace sonique::analysis
