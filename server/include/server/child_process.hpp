#pragma once
// A child process whose standard output the server reads (ffmpeg for stream; the DLNA work can
// reuse it). Started with posix_spawnp: no shell, arguments as a vector, every descriptor of the
// server closed in the child but the ones given to it. The owner kills it (SIGKILL) and reaps it
// (waitpid) on destruction, so that neither an orphan nor a zombie is left whatever way the
// stream ends.
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/unique_fd.hpp"

namespace sonique::server {

struct ChildOptions {
    std::vector<std::string> argv;  // argv[0] is looked up in PATH
    // A descriptor of the server given to the child as its descriptor 3 (-1: none), e.g. the
    // already opened and checked input file.
    int input_fd = -1;
    int nice = 10;  // added to the child's priority (lower than the server's threads)
};

class ChildProcess {
  public:
    // Starts the child with stdin and stderr on /dev/null and stdout on a pipe. Throws
    // std::system_error when the pipe cannot be made or the program cannot be started. Any
    // thread.
    explicit ChildProcess(const ChildOptions& options);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    // Reads up to size bytes of the child's output. Returns the count, 0 at the end of the
    // output, -1 on an error or when nothing came for timeout_ms. The thread owning the object.
    long read(char* buffer, size_t size, int timeout_ms);
    // Kills (SIGKILL) and reaps the child now; idempotent. Returns nothing, throws nothing.
    void kill() noexcept;
    pid_t pid() const noexcept { return pid_; }

  private:
    pid_t pid_ = -1;
    UniqueFd out_;
};

}  // namespace sonique::server
