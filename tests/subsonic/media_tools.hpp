#pragma once
// Helpers of the media suites: real ffmpeg and ffprobe run as the tests' tools, the server's
// ffmpeg children found in /proc, and a raw connection that reads a little and goes away.
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/json.hpp"

namespace sonique::test {

// Runs a command line (fixed arguments, paths without quotes) and returns its standard output;
// fails the test when it exits with another status than 0.
std::string run_tool(const std::string& command);

// ffprobe's answer for a file: {"format": {...}, "streams": [...]}.
Json probe(const std::string& path);

// The pids of this process's children named ffmpeg, zombies included.
std::vector<pid_t> ffmpeg_children();

// Waits up to timeout_ms for the count of ffmpeg children to be `count`; returns the last count.
size_t wait_for_ffmpeg_children(size_t count, int timeout_ms);

// A GET whose answer is read only up to `read_bytes` of its body (or its head alone with 0),
// then left open until close() or destruction.
class PartialGet {
  public:
    PartialGet(int port, const std::string& target, size_t read_bytes);
    ~PartialGet();
    PartialGet(const PartialGet&) = delete;
    PartialGet& operator=(const PartialGet&) = delete;
    const std::string& head() const { return head_; }
    void close();

  private:
    int fd_ = -1;
    std::string head_;
};

}  // namespace sonique::test
