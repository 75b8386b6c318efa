// Per-thread priority for streaming: lowered and restored for the calling thread only.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "core/thread_priority.hpp"

namespace sonique::test {
namespace {

int my_nice() {
    return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
}

TEST(ThreadPriority, LowersAndRestoresTheCallingThreadOnly) {
    std::thread([] {
        const int before = my_nice();
        thread_priority::lower();
        thread_priority::lower();  // idempotent
        EXPECT_EQ(my_nice(), 19);
        EXPECT_EQ(thread_priority::lowered(), before < 19);
        int other = 0;
        std::thread([&] { other = my_nice(); }).join();
        EXPECT_EQ(other, my_nice());  // new threads inherit; existing ones do not change
        thread_priority::restore();
        if (geteuid() == 0) {  // raising a priority back needs CAP_SYS_NICE
            EXPECT_EQ(my_nice(), before);
            EXPECT_FALSE(thread_priority::lowered());
        }
    }).join();
    EXPECT_FALSE(thread_priority::lowered());  // this thread was never lowered
}

}  // namespace
}  // namespace sonique::test
