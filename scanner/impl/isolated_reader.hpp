#pragma once
// Tag reading in a child process, so that a file that crashes or hangs TagLib costs only that
// file. One IsolatedReader belongs to one reader thread and owns one worker process at a time.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <optional>
#include <string_view>

#include "scanner/track_info.hpp"
#include "wire.hpp"

namespace sonique::scanner {

// How the reason of a file whose read took longer than the timeout begins.
inline constexpr std::string_view kTimedOutReason = "tag reader timed out";

class IsolatedReader {
  public:
    using Process = std::function<ReadOutcome(const FileEntry&)>;
    using Next = std::function<std::optional<FileEntry>()>;
    using Sink = std::function<void(const FileEntry&, ReadOutcome&&)>;

    // process runs in the forked worker (it is copied there by fork). timeout: the longest
    // a single file may take before its worker is killed. cancel (may be null): when it becomes
    // true, run() kills the worker and returns within 100 ms, without outcomes for the files
    // still in flight.
    IsolatedReader(Process process, std::chrono::milliseconds timeout,
                   const std::atomic<bool>* cancel = nullptr);
    ~IsolatedReader();
    IsolatedReader(const IsolatedReader&) = delete;

    // Pulls files from next() until it returns nullopt and hands one outcome per file, in
    // order, to sink. A worker that dies or stalls is replaced; its file gets an error outcome.
    // Throws std::runtime_error only when no worker process can be started.
    void run(const Next& next, const Sink& sink);

  private:
    void start_worker();
    void stop_worker();
    std::string reap_reason(bool timed_out);
    bool send(const FileEntry& e);
    int wait_answer();
    void restart_after_failure(const Sink& sink, bool timed_out);

    Process process_;
    std::chrono::milliseconds timeout_;
    const std::atomic<bool>* cancel_;
    pid_t pid_ = -1;
    int fd_ = -1;
    wire::FrameReader answers_;  // reads fd_
    std::deque<FileEntry> in_flight_;
};

}  // namespace sonique::scanner
