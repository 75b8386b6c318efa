#include "isolated_reader.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "wire.hpp"

namespace sonique::scanner {
namespace {

// Files in flight per worker: hides the pipe round trip without delaying crash attribution
// (results come back in order, so the culprit is always the oldest file in flight).
constexpr size_t kWindow = 16;
// How often a wait for the worker looks at the cancel flag.
constexpr int64_t kCancelCheckMs = 100;

[[noreturn]] void worker_main(int fd, pid_t parent, const IsolatedReader::Process& process) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed scan leaves no orphan workers
    if (::getppid() != parent) ::_exit(0);
    std::string frame;
    wire::FrameReader requests(fd);
    try {
        while (requests.next(frame)) {
            ReadOutcome out;
            FileEntry entry = wire::decode_entry(frame);
            try {
                out = process(entry);
            } catch (const std::exception& e) {
                out.error = std::string("tag reader failed: ") + e.what();
            }
            if (!wire::write_frame(fd, wire::encode_outcome(out))) break;
        }
    } catch (...) {
    }
    ::_exit(0);  // never run the parent's atexit handlers or destructors
}

}  // namespace

IsolatedReader::IsolatedReader(Process process, std::chrono::milliseconds timeout,
                               const std::atomic<bool>* cancel)
    : process_(std::move(process)), timeout_(timeout), cancel_(cancel) {}

IsolatedReader::~IsolatedReader() {
    stop_worker();
}

void IsolatedReader::start_worker() {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(sv[0]);
        ::close(sv[1]);
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        ::close(sv[0]);
        worker_main(sv[1], parent, process_);
    }
    ::close(sv[1]);
    pid_ = pid;
    fd_ = sv[0];
    answers_ = wire::FrameReader(fd_);
    timeval tv{static_cast<time_t>(timeout_.count() / 1000),
               static_cast<suseconds_t>((timeout_.count() % 1000) * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv,
                 sizeof tv);  // a half-written frame can't hang us
}

void IsolatedReader::stop_worker() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    pid_ = -1;
}

std::string IsolatedReader::reap_reason(bool timed_out) {
    std::string reason = "tag reader stopped";
    if (timed_out)
        reason =
            std::string(kTimedOutReason) + " after " + std::to_string(timeout_.count()) + " ms";
    if (pid_ > 0 && !timed_out) {
        int status = 0;
        // The worker closed its end: it is exiting or dead; wait for it briefly.
        for (int i = 0; i < 100; ++i) {
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                if (WIFSIGNALED(status))
                    reason = "tag reader crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
                else
                    reason =
                        "tag reader exited (status " + std::to_string(WEXITSTATUS(status)) + ")";
                break;
            }
            ::usleep(2000);
        }
    }
    return reason;
}

bool IsolatedReader::send(const FileEntry& e) {
    return fd_ >= 0 && wire::write_frame(fd_, wire::encode_entry(e));
}

// Waits for the worker's next answer up to the timeout, in slices so that a cancelled scan
// stops at once. 1: readable (or a poll error that the read will report), 0: timed out,
// -1: cancelled.
int IsolatedReader::wait_answer() {
    using namespace std::chrono;
    auto deadline = steady_clock::now() + timeout_;
    while (true) {
        if (cancel_ && cancel_->load()) return -1;
        if (answers_.has_frame()) return 1;  // read with an earlier one
        auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
        if (left <= 0) return 0;
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, kCancelCheckMs)));
        if (ready > 0 || (ready < 0 && errno != EINTR)) return 1;
    }
}

void IsolatedReader::restart_after_failure(const Sink& sink, bool timed_out) {
    ReadOutcome bad;
    bad.error = reap_reason(timed_out);
    stop_worker();
    FileEntry culprit = std::move(in_flight_.front());
    in_flight_.pop_front();
    sink(culprit, std::move(bad));
    start_worker();
    for (const auto& e : in_flight_)
        send(e);
}

void IsolatedReader::run(const Next& next, const Sink& sink) {
    if (fd_ < 0) start_worker();
    bool more = true;
    std::string frame;
    while (true) {
        while (more && in_flight_.size() < kWindow) {
            auto e = next();
            if (!e) {
                more = false;
                break;
            }
            send(*e);  // a failure shows up as EOF below
            in_flight_.push_back(std::move(*e));
        }
        if (in_flight_.empty()) break;
        int ready = wait_answer();
        if (ready < 0) {  // cancelled: the files in flight are left unread
            stop_worker();
            in_flight_.clear();
            return;
        }
        if (ready == 0) {
            restart_after_failure(sink, true);
            continue;
        }
        ReadOutcome out;
        bool ok = false;
        try {
            ok = answers_.next(frame);
            if (ok) out = wire::decode_outcome(frame);
        } catch (const wire::WireError&) {
            ok = false;
        }
        if (!ok) {
            restart_after_failure(sink, false);
            continue;
        }
        FileEntry done = std::move(in_flight_.front());
        in_flight_.pop_front();
        sink(done, std::move(out));
    }
}

}  // namespace sonique::scanner
