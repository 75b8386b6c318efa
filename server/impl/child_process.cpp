// ChildProcess (server/child_process.hpp): posix_spawnp with file actions, a non-blocking read
// with poll, and SIGKILL + waitpid on destruction.
#include "server/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

extern char** environ;

namespace sonique::server {
namespace {

[[noreturn]] void fail(int error, const char* what) {
    throw std::system_error(error, std::generic_category(), what);
}

// posix_spawn's attributes and file actions, destroyed whatever happens.
struct SpawnSetup {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    SpawnSetup() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
    }
    ~SpawnSetup() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
};

}  // namespace

ChildProcess::ChildProcess(const ChildOptions& options) {
    if (options.argv.empty()) fail(EINVAL, "no program");
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) fail(errno, "pipe");
    out_.reset(fds[0]);
    UniqueFd write_end(fds[1]);

    SpawnSetup s;
    posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&s.actions, write_end.get(), 1);
    posix_spawn_file_actions_addopen(&s.actions, 2, "/dev/null", O_WRONLY, 0);
    if (options.input_fd >= 0) posix_spawn_file_actions_adddup2(&s.actions, options.input_fd, 3);
    // The server's sockets, database connections and files stay out of the child (glibc 2.34+).
    posix_spawn_file_actions_addclosefrom_np(&s.actions, options.input_fd >= 0 ? 4 : 3);
    // The server may block signals in its threads: the child starts with none blocked and the
    // default dispositions (SIGPIPE is ignored by the server, and ffmpeg should die of it).
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&s.attr, &none);
    posix_spawnattr_setsigdefault(&s.attr, &all);
    posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<char*> argv;
    for (const auto& a : options.argv)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    int rc = posix_spawnp(&pid_, argv[0], &s.actions, &s.attr, argv.data(), environ);
    if (rc != 0) {
        pid_ = -1;
        fail(rc, "posix_spawnp");
    }
    // Lowered right after the start (posix_spawn has no attribute for it): the child decodes
    // and encodes flat out while its pipe has room, and must not slow the API's threads.
    if (options.nice > 0) {
        errno = 0;
        int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(pid_));
        if (errno == 0) ::setpriority(PRIO_PROCESS, static_cast<id_t>(pid_), now + options.nice);
    }
}

ChildProcess::~ChildProcess() {
    kill();
}

void ChildProcess::kill() noexcept {
    out_.reset();
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
}

long ChildProcess::read(char* buffer, size_t size, int timeout_ms) {
    if (!out_.valid()) return -1;
    pollfd p{out_.get(), POLLIN, 0};
    int ready;
    do {
        ready = ::poll(&p, 1, timeout_ms);
    } while (ready < 0 && errno == EINTR);
    if (ready <= 0) return -1;
    ssize_t n;
    do {
        n = ::read(out_.get(), buffer, size);
    } while (n < 0 && errno == EINTR);
    return static_cast<long>(n);
}

}  // namespace sonique::server
