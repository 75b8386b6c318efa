#pragma once
// Live updates (`sonique serve --watch`, SONIQUE_WATCH): inotify watches on every folder of
// the library roots; changes are debounced and the changed folders (not the whole library) are
// scanned with the normal pipeline, so unchanged files there are skipped by size and mtime. The
// folders changed in one window are scanned as one (the deepest folder holding them), so that a
// file moved between them keeps its track id.
// Which folder a watch stands for is WatchTree's: moved folders, link loops, and a queue overflow,
// after which every root is scanned.
// At shutdown the scan in progress is cancelled, not waited for.
#include <atomic>
#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/unique_fd.hpp"
#include "scanner/scan_runner.hpp"
#include "scanner/watch_tree.hpp"

namespace sonique::scanner {

class ScanWatcher {
  public:
    // Starts watching. Throws std::runtime_error when inotify is unavailable.
    ScanWatcher(ScanRunner& scans, const std::vector<std::string>& roots,
                std::chrono::milliseconds debounce = std::chrono::milliseconds(2000));
    // Stops watching and cancels the folder scan in progress through scans.cancel(), so give
    // the watcher a ScanRunner of its own. Returns at once; any thread.
    void stop() noexcept;
    // stop(), then waits for the watch thread (a cancelled scan ends within a fraction of a
    // second).
    ~ScanWatcher();
    ScanWatcher(const ScanWatcher&) = delete;

  private:
    void run();
    void read_events();
    void scan_dirty();

    ScanRunner& scans_;
    std::vector<std::string> roots_;  // lexically normal, without a trailing slash
    std::chrono::milliseconds debounce_;
    UniqueFd fd_;                    // the inotify instance
    std::optional<WatchTree> tree_;  // made once fd_ is open
    std::set<std::string> dirty_;
    std::chrono::steady_clock::time_point last_event_{};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace sonique::scanner
