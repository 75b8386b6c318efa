#include "analysis/isolated.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "core/unique_fd.hpp"

namespace sonique::analysis {
namespace {

// The child's answer: 'F' then the features and the seconds analysed, or 'E' then the reason.
constexpr char kFeaturesTag = 'F';
constexpr char kErrorTag = 'E';
constexpr size_t kFeaturesSize = 1 + sizeof(FeatureVector) + sizeof(double);
constexpr size_t kMaxAnswer = 4096;
constexpr int kCancelCheckMs = 100;

void lower_priority() noexcept {
    sched_param none{};
    if (::sched_setscheduler(0, SCHED_IDLE, &none) != 0) ::setpriority(PRIO_PROCESS, 0, 19);
}

bool write_all(int fd, const char* data, size_t size) noexcept {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

[[noreturn]] void child_main(int fd, pid_t parent, const std::string& path,
                             const AnalysisOptions& options) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed analysis leaves no orphan children
    if (::getppid() != parent) ::_exit(0);
    // The child keeps only its answer pipe (as descriptor 3): a forked copy of the server's
    // other descriptors (sibling workers' pipes, ffmpeg pipes, client sockets) would keep them
    // open until this child ends and delay their readers' end of file.
    if (fd != 3 && ::dup2(fd, 3) < 0) ::_exit(1);
    fd = 3;
    ::close_range(4, ~0U, 0);
    lower_priority();
    std::string answer;
    try {
        TrackFeatures f = analyse_file(path, options);
        answer.resize(kFeaturesSize);
        answer[0] = kFeaturesTag;
        std::memcpy(answer.data() + 1, f.values.data(), sizeof(FeatureVector));
        std::memcpy(answer.data() + 1 + sizeof(FeatureVector), &f.seconds_analysed, sizeof(double));
    } catch (const std::exception& e) {
        answer = std::string(1, kErrorTag) + e.what();
        answer.resize(std::min(answer.size(), kMaxAnswer));
    } catch (...) {
        answer = std::string(1, kErrorTag) + "unknown failure";
    }
    write_all(fd, answer.data(), answer.size());
    ::_exit(0);  // never run the parent's atexit handlers or destructors
}

// Reads the child's whole answer until EOF. 1: done, 0: timed out, -1: cancelled.
int read_answer(int fd, std::chrono::milliseconds timeout, const std::atomic<bool>* cancel,
                std::string& answer) {
    using namespace std::chrono;
    auto deadline = steady_clock::now() + timeout;
    char buf[4096];
    while (true) {
        if (cancel && cancel->load()) return -1;
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return 0;
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kCancelCheckMs)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 1;
        if (answer.size() < kMaxAnswer) answer.append(buf, static_cast<size_t>(n));
    }
}

std::string exit_reason(int status) {
    if (WIFSIGNALED(status))
        return "analyser crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
    return "analyser exited without an answer (status " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace

IsolatedOutcome analyse_isolated(const std::string& path, const AnalysisOptions& options,
                                 std::chrono::milliseconds timeout,
                                 const std::atomic<bool>* cancel) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) child_main(write_end.get(), parent, path, options);
    write_end.reset();  // EOF on read_end once the child has gone

    std::string answer;
    int got = read_answer(read_end.get(), timeout, cancel, answer);
    if (got <= 0) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    IsolatedOutcome out;
    if (got < 0) {
        out.cancelled = true;
    } else if (got == 0) {
        out.error =
            std::string(kTimedOutReason) + " after " + std::to_string(timeout.count()) + " ms";
    } else if (answer.size() == kFeaturesSize && answer[0] == kFeaturesTag) {
        TrackFeatures f;
        std::memcpy(f.values.data(), answer.data() + 1, sizeof(FeatureVector));
        std::memcpy(&f.seconds_analysed, answer.data() + 1 + sizeof(FeatureVector), sizeof(double));
        out.features = f;
    } else if (!answer.empty() && answer[0] == kErrorTag) {
        out.error = answer.substr(1);
    } else {
        out.error = exit_reason(status);
    }
    return out;
}

}  // namespace sonique::analysis
