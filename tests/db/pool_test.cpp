// The bounded pool: leases, exhaustion, arrival order, replacement of broken connections.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "db/errors.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono;

db::PoolOptions options(const std::string& url, int size, int timeout_ms) {
    db::PoolOptions o;
    o.connect = {url, 5000, 5};
    o.size = size;
    o.acquire_timeout = milliseconds(timeout_ms);
    return o;
}

TEST(Pool, ExhaustionFailsWithinTheAcquireTimeout) {
    TestDatabase db("pool", false);
    db::Pool pool(options(db.url(), 2, 300));
    auto a = pool.acquire();
    auto b = pool.acquire();
    auto start = steady_clock::now();
    try {
        pool.acquire();
        FAIL() << "acquired beyond the pool size";
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    }
    auto waited = duration_cast<milliseconds>(steady_clock::now() - start).count();
    EXPECT_GE(waited, 250);
    EXPECT_LT(waited, 1500);
    EXPECT_EQ(pool.stats().open, 2);
}

TEST(Pool, ReleasedLeaseServesTheNextWaiter) {
    TestDatabase db("pool2", false);
    db::Pool pool(options(db.url(), 1, 2000));
    auto start = steady_clock::now();
    std::thread holder([&] {
        auto lease = pool.acquire();
        std::this_thread::sleep_for(milliseconds(200));
    });
    std::this_thread::sleep_for(milliseconds(50));
    auto lease = pool.acquire();
    EXPECT_EQ(lease->exec("SELECT 1").int64(0, 0), 1);
    EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 1500);
    holder.join();
}

// Waiters are served in the order they came, and a newcomer queues behind them.
TEST(Pool, WaitersAreServedInArrivalOrder) {
    TestDatabase db("pool4", false);
    db::Pool pool(options(db.url(), 1, 5000));
    std::vector<int> order;
    std::mutex mu;
    std::vector<std::thread> waiters;
    {
        auto held = pool.acquire();
        for (int i = 0; i < 6; ++i) {
            waiters.emplace_back([&, i] {
                auto lease = pool.acquire();
                std::lock_guard lock(mu);
                order.push_back(i);
            });
            // The next one starts only once this one waits.
            auto until = steady_clock::now() + 5s;
            while (pool.stats().waiting < i + 1 && steady_clock::now() < until)
                std::this_thread::sleep_for(milliseconds(1));
            ASSERT_EQ(pool.stats().waiting, i + 1);
        }
    }
    for (auto& t : waiters)
        t.join();
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

// A waiter that gives up leaves the line: the one behind it is served when a connection frees.
TEST(Pool, AWaiterThatTimesOutLeavesTheLine) {
    TestDatabase db("pool5", false);
    db::Pool pool(options(db.url(), 1, 1000));
    std::optional<db::Lease> held(pool.acquire());
    bool first_timed_out = false, second_served = false;
    std::thread first([&] {
        try {
            pool.acquire();
        } catch (const db::DbError&) {
            first_timed_out = true;
        }
    });
    auto until = steady_clock::now() + 5s;
    while (pool.stats().waiting < 1 && steady_clock::now() < until)
        std::this_thread::sleep_for(milliseconds(1));
    std::this_thread::sleep_for(milliseconds(500));  // the second's deadline comes 500 ms later
    std::thread second([&] {
        auto lease = pool.acquire();
        second_served = lease->exec("SELECT 1").int64(0, 0) == 1;
    });
    first.join();  // timed out, in front of the second
    held.reset();
    second.join();
    EXPECT_TRUE(first_timed_out);
    EXPECT_TRUE(second_served);
    EXPECT_EQ(pool.stats().waiting, 0);
}

// A connection returned broken while others wait: the first waiter gets its slot and opens a
// new connection; the pool never counts more connections than its size.
TEST(Pool, ABrokenConnectionPassesItsSlotToTheFirstWaiter) {
    TestDatabase db("pool6", false);
    db::Pool pool(options(db.url(), 1, 5000));
    std::optional<db::Lease> held(pool.acquire());
    const int64_t pid = (*held)->exec("SELECT pg_backend_pid()").int64(0, 0);
    int64_t waiter_pid = 0;
    std::thread waiter([&] {
        auto lease = pool.acquire();
        waiter_pid = lease->exec("SELECT pg_backend_pid()").int64(0, 0);
    });
    auto until = steady_clock::now() + 5s;
    while (pool.stats().waiting < 1 && steady_clock::now() < until)
        std::this_thread::sleep_for(milliseconds(1));
    ASSERT_EQ(pool.stats().waiting, 1);
    {
        // Inside a transaction a lost connection is not re-established: it stays broken.
        db::Transaction tx(**held);
        db::Connection admin({db.url(), 0, 5});
        admin.exec("SELECT pg_terminate_backend($1)", db::Params(pid));
        std::this_thread::sleep_for(milliseconds(100));
        EXPECT_THROW((*held)->exec("SELECT 1"), db::DbError);
    }
    EXPECT_TRUE((*held)->broken());
    held.reset();
    waiter.join();
    EXPECT_NE(waiter_pid, 0);
    EXPECT_NE(waiter_pid, pid);
    auto s = pool.stats();
    EXPECT_EQ(s.open, 1);
    EXPECT_EQ(s.idle, 1);
    EXPECT_EQ(s.waiting, 0);
}

// Many callers against few connections (the HTTP workers against the pool): every one is served
// (each returned connection wakes exactly one waiter, so none may be forgotten), and afterwards
// every connection is idle again.
TEST(Pool, ManyCallersAgainstFewConnectionsAreAllServed) {
    TestDatabase db("pool7", false);
    db::Pool pool(options(db.url(), 2, 10000));
    constexpr int kThreads = 24, kEach = 40;
    std::atomic<int> served{0}, failed{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < kThreads; ++t) {
        callers.emplace_back([&] {
            for (int i = 0; i < kEach; ++i) {
                try {
                    auto lease = pool.acquire();
                    if (lease->exec("SELECT 1").int64(0, 0) == 1) ++served;
                } catch (const db::DbError&) {
                    ++failed;
                }
            }
        });
    }
    for (auto& t : callers)
        t.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(served.load(), kThreads * kEach);
    auto s = pool.stats();
    EXPECT_EQ(s.open, 2);
    EXPECT_EQ(s.idle, 2);
    EXPECT_EQ(s.waiting, 0);
}

TEST(Pool, KilledConnectionIsReplacedTransparently) {
    TestDatabase db("pool3", false);
    db::Pool pool(options(db.url(), 1, 1000));
    int64_t pid;
    {
        auto lease = pool.acquire();
        pid = lease->exec("SELECT pg_backend_pid()").int64(0, 0);
    }
    db::Connection admin({db.url(), 0, 5});
    admin.exec("SELECT pg_terminate_backend($1)", db::Params(pid));
    std::this_thread::sleep_for(milliseconds(100));
    auto lease = pool.acquire();
    int64_t new_pid = lease->exec("SELECT pg_backend_pid()").int64(0, 0);
    EXPECT_NE(new_pid, pid);
}

TEST(Pool, UnreachableServerIsUnavailableQuickly) {
    db::Pool pool(options("postgresql://postgres@127.0.0.1:1/none", 2, 1000));
    auto start = steady_clock::now();
    try {
        pool.acquire();
        FAIL();
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kUnavailable);
    }
    EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 1000);
    EXPECT_EQ(pool.stats().open, 0);
}

}  // namespace
}  // namespace sonique::test
