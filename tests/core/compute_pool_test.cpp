// ComputePool (core/compute_pool.hpp): results and exceptions reach the caller, one thread runs
// the tasks in the order they came, a full queue is refused at once, every thread is used.
#include "core/compute_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace sonique {
namespace {

using namespace std::chrono_literals;

// Waits (up to 10 s) until pred holds.
template <typename P>
bool eventually(P pred) {
    for (int i = 0; i < 2000 && !pred(); ++i)
        std::this_thread::sleep_for(5ms);
    return pred();
}

// A task that holds the pool's only thread until released.
struct Blocker {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<bool> running{false};
    std::thread caller;
    explicit Blocker(ComputePool& pool) {
        caller = std::thread([this, &pool] {
            pool.run([this] {
                running = true;
                released.wait();
            });
        });
        EXPECT_TRUE(eventually([this] { return running.load(); }));
    }
    void finish() {
        release.set_value();
        caller.join();
    }
};

TEST(ComputePool, ResultsAndExceptionsReachTheCaller) {
    ComputePool pool(2);
    EXPECT_EQ(pool.threads(), 2u);
    EXPECT_EQ(pool.run([] { return std::string("answer"); }), "answer");
    auto caller = std::this_thread::get_id();
    EXPECT_NE(pool.run([] { return std::this_thread::get_id(); }), caller);
    int ran = 0;
    pool.run([&] { ++ran; });
    EXPECT_EQ(ran, 1);
    EXPECT_THROW(pool.run([]() -> int { throw std::bad_alloc(); }), std::bad_alloc);
    EXPECT_EQ(pool.run([] { return 7; }), 7);  // the thread survived
}

TEST(ComputePool, OneThreadRunsTasksInTheOrderTheyCame) {
    ComputePool pool(1);
    Blocker blocker(pool);
    std::mutex m;
    std::vector<int> order;
    std::vector<std::thread> callers;
    for (int i = 0; i < 6; ++i) {
        callers.emplace_back([&, i] {
            pool.run([&, i] {
                std::lock_guard lock(m);
                order.push_back(i);
            });
        });
        ASSERT_TRUE(eventually([&] { return pool.waiting() == static_cast<size_t>(i + 1); }));
    }
    blocker.finish();
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(pool.waiting(), 0u);
}

TEST(ComputePool, AFullQueueIsRefusedAtOnce) {
    ComputePool pool(1, 1);
    Blocker blocker(pool);
    std::thread queued([&] { EXPECT_EQ(pool.run([] { return 1; }), 1); });
    ASSERT_TRUE(eventually([&] { return pool.waiting() == 1; }));
    auto t0 = std::chrono::steady_clock::now();
    try {
        pool.run([] { return 2; });
        ADD_FAILURE() << "a full queue took a task";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
        EXPECT_EQ(e.detail(), "Search is busy");
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    blocker.finish();
    queued.join();
    EXPECT_EQ(pool.run([] { return 3; }), 3);
}

// Two tasks that each wait for the other to start finish only if both threads run them.
TEST(ComputePool, EveryThreadIsUsed) {
    ComputePool pool(2);
    std::atomic<int> started{0};
    auto task = [&] {
        ++started;
        return eventually([&] { return started.load() == 2; });
    };
    auto a = std::async(std::launch::async, [&] { return pool.run(task); });
    auto b = std::async(std::launch::async, [&] { return pool.run(task); });
    EXPECT_TRUE(a.get());
    EXPECT_TRUE(b.get());
}

}  // namespace
}  // namespace sonique
