#include "analysis/worker.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "worker_protocol.hpp"

namespace sonique::analysis {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kCancelCheckMs = 100;
constexpr auto kExitGrace = std::chrono::seconds(1);
constexpr const char* kGarbage = "analyser answered garbage";
// answer()'s mark for a process that ended before answering (never shown to a caller).
constexpr const char* kWorkerEnded = "\x01ended";

enum class Read { done, timed_out, cancelled, closed };

// Reads exactly size bytes from the worker's socket before the deadline.
Read read_until(int fd, char* data, size_t size, Clock::time_point deadline,
                const std::atomic<bool>* cancel) {
    using namespace std::chrono;
    while (size > 0) {
        if (cancel && cancel->load()) return Read::cancelled;
        auto left = duration_cast<milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return Read::timed_out;
        pollfd p{fd, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kCancelCheckMs)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        ssize_t n = ::read(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return Read::closed;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return Read::done;
}

bool send_all(int fd, const std::string& data) noexcept {
    const char* p = data.data();
    size_t size = data.size();
    while (size > 0) {
        ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL);  // a dead worker is an error, not SIGPIPE
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

std::string exit_reason(int status) {
    if (WIFSIGNALED(status))
        return "analyser crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
    return "analyser exited without an answer (status " + std::to_string(WEXITSTATUS(status)) + ")";
}

}  // namespace

AnalysisWorker::~AnalysisWorker() {
    stop(false);
}

void AnalysisWorker::start() {
    const std::string& exe = worker::executable();
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    UniqueFd ours(fds[0]), theirs(fds[1]);
    // The child's end becomes its descriptor 3: moved above 3 first, so that dup2 never meets
    // itself (a server started with 0, 1 or 2 closed could get the socket there).
    theirs.reset(::fcntl(theirs.get(), F_DUPFD_CLOEXEC, 4));
    if (!theirs.valid()) throw std::runtime_error(std::string("fcntl: ") + std::strerror(errno));
    // Everything the child needs is made before the fork: between fork and exec a child of a
    // multi-threaded process may only make async-signal-safe calls.
    char* argv[] = {const_cast<char*>(exe.c_str()), nullptr};
    char* envp[] = {
        nullptr};  // no DATABASE_URL or other secret reaches a process fed hostile files
    sigset_t none;
    sigemptyset(&none);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        // Killed when the thread that started it ends (the runner's worker thread, which stops
        // it first) or the server dies: no orphan analyses.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(0);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        // Answers travel on descriptor 3, never on standard output, where a library's stray
        // print would corrupt them; 0, 1 and 2 stay what the server had.
        if (::dup2(theirs.get(), 3) < 0) ::_exit(127);
        ::close_range(4, ~0U, 0);
        ::execve(exe.c_str(), argv, envp);
        ::_exit(127);
    }
    pid_ = pid;
    sock_ = std::move(ours);
    files_ = 0;
}

int AnalysisWorker::stop(bool kill_now) noexcept {
    if (pid_ < 0) return 0;
    if (kill_now) ::kill(pid_, SIGKILL);
    sock_.reset();  // an idle worker reads end of file and exits
    int status = 0;
    auto deadline = Clock::now() + kExitGrace;
    while (true) {
        pid_t r = ::waitpid(pid_, &status, kill_now ? 0 : WNOHANG);
        if (r == pid_ || (r < 0 && errno != EINTR)) break;
        if (r == 0 && Clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            kill_now = true;
        } else if (r == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    pid_ = -1;
    return status;
}

IsolatedOutcome AnalysisWorker::analyse(const std::string& path, const AnalysisOptions& options,
                                        std::chrono::milliseconds timeout,
                                        const std::atomic<bool>* cancel) {
    if (path.size() > worker::kMaxPath) return {.features = {}, .error = "path too long"};
    std::string req = worker::request(path, options.excerpt_seconds);
    auto deadline = Clock::now() + timeout;
    while (true) {
        // A process that answered earlier files may have died since (killed, out of memory):
        // when it ends without answering, this file gets one more try in a fresh process, and
        // only a fresh process's end is this file's fault.
        bool reused = pid_ >= 0;
        if (!reused) start();
        if (!send_all(sock_.get(), req)) {
            int status = stop(true);
            if (reused) continue;
            return {.features = {}, .error = exit_reason(status)};
        }
        auto out = answer(deadline, timeout, cancel);
        if (out.error != kWorkerEnded) return out;
        int status = stop(false);
        if (!reused) return {.features = {}, .error = exit_reason(status)};
    }
}

IsolatedOutcome AnalysisWorker::answer(Clock::time_point deadline,
                                       std::chrono::milliseconds timeout,
                                       const std::atomic<bool>* cancel) {
    IsolatedOutcome out;
    uint32_t size = 0;
    Read got =
        read_until(sock_.get(), reinterpret_cast<char*>(&size), sizeof size, deadline, cancel);
    std::string body;
    if (got == Read::done && size > worker::kMaxAnswer) {
        out.error = kGarbage;
        stop(true);
        return out;
    }
    if (got == Read::done) {
        body.resize(size);
        got = read_until(sock_.get(), body.data(), size, deadline, cancel);
    }
    switch (got) {
        case Read::cancelled:
            out.cancelled = true;
            stop(true);
            return out;
        case Read::timed_out:
            out.error =
                std::string(kTimedOutReason) + " after " + std::to_string(timeout.count()) + " ms";
            stop(true);
            return out;
        case Read::closed:
            out.error = kWorkerEnded;  // the caller reaps it and decides whose fault it was
            return out;
        case Read::done:
            break;
    }
    if (auto features = worker::parse_features(body)) {
        out.features = *features;
    } else if (!body.empty() && body[0] == worker::kErrorTag) {
        out.error = body.substr(1);
    } else {
        out.error = kGarbage;
        stop(true);
        return out;
    }
    if (++files_ >= kFilesPerProcess) stop(false);
    return out;
}

}  // namespace sonique::analysis
