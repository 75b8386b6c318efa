#include "core/thread_priority.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace sonique::thread_priority {
namespace {

constexpr int kLowest = 19;  // the lowest nice value

// On Linux, PRIO_PROCESS with a thread id addresses that one thread.
id_t self() {
    return static_cast<id_t>(syscall(SYS_gettid));
}

thread_local bool t_lowered = false;
thread_local int t_normal = 0;  // the nice value before lower()

}  // namespace

void lower() {
    if (t_lowered) return;
    errno = 0;
    int current = getpriority(PRIO_PROCESS, self());
    if (current == -1 && errno != 0) return;
    if (current >= kLowest || setpriority(PRIO_PROCESS, self(), kLowest) != 0) return;
    t_normal = current;
    t_lowered = true;
}

void restore() {
    if (t_lowered && setpriority(PRIO_PROCESS, self(), t_normal) == 0) t_lowered = false;
}

bool lowered() {
    return t_lowered;
}

}  // namespace sonique::thread_priority
