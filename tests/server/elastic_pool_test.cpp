// ElasticThreadPool (server/impl/elastic_pool.hpp): threads grow with a burst, the extra ones
// retire after being idle, and the resting ones that served make way for fresh threads, so that
// what requests left in thread_local buffers is freed (docs/operations.md, "Memory").
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "elastic_pool.hpp"

namespace sonique::server {
namespace {

using namespace std::chrono_literals;

// Jobs this thread ran before the current one: 0 on a fresh thread.
thread_local int t_jobs_before = 0;

// Runs `n` jobs at once (each waits for the others), so that the pool holds `n` threads.
void burst(ElasticThreadPool& pool, int n) {
    std::mutex mu;
    std::condition_variable cv;
    int arrived = 0;
    std::vector<std::promise<void>> done(n);
    for (int i = 0; i < n; ++i)
        pool.enqueue([&, i] {
            ++t_jobs_before;
            std::unique_lock lock(mu);
            ++arrived;
            cv.notify_all();
            cv.wait_for(lock, 5s, [&] { return arrived == n; });
            done[i].set_value();
        });
    for (auto& d : done)
        ASSERT_EQ(d.get_future().wait_for(10s), std::future_status::ready);
}

// How many jobs the thread that runs the next job had run before it.
int next_job_sees(ElasticThreadPool& pool) {
    std::promise<int> seen;
    pool.enqueue([&] { seen.set_value(t_jobs_before++); });
    auto f = seen.get_future();
    EXPECT_EQ(f.wait_for(10s), std::future_status::ready);
    return f.get();
}

TEST(ElasticThreadPool, RestingThreadsThatServedAreReplacedAfterTheIdleTimeout) {
    ElasticThreadPool pool(2, 8, 1s);
    burst(pool, 8);
    // Right after the burst, a job runs on a thread that served in it.
    EXPECT_GT(next_job_sees(pool), 0);
    // Idle past the timeout (twice: the extra threads retire, then the resting ones that served
    // are replaced): the next job runs on a fresh thread, its thread_local state new.
    std::this_thread::sleep_for(3500ms);
    EXPECT_EQ(next_job_sees(pool), 0);
}

TEST(ElasticThreadPool, AnIdlePoolDoesNotChurn) {
    ElasticThreadPool pool(2, 4, 1s);
    std::this_thread::sleep_for(2500ms);
    // Threads that never served stay: the first job still finds a fresh one, and so does a job
    // after a pause long enough for its thread to be replaced.
    EXPECT_EQ(next_job_sees(pool), 0);
    std::this_thread::sleep_for(2500ms);
    EXPECT_EQ(next_job_sees(pool), 0);
    pool.shutdown();
}

TEST(ElasticThreadPool, ShutdownRunsQueuedJobsAndJoins) {
    std::atomic<int> ran = 0;
    {
        ElasticThreadPool pool(1, 2, 1s);
        for (int i = 0; i < 20; ++i)
            pool.enqueue([&] { ++ran; });
        pool.shutdown();
    }
    EXPECT_EQ(ran.load(), 20);
}

}  // namespace
}  // namespace sonique::server
