// The in-process near cache: bounded, epoch-guarded, and invalidated across processes through
// Redis pub/sub (two Cache+EventBus pairs stand for two server processes).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cache/cache.hpp"
#include "cache/near_cache.hpp"
#include "cache/pubsub.hpp"
#include "redis_options.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

using namespace std::chrono_literals;

// One "process": a Redis pool, an event bus subscribed to the cache channel, a cache.
struct Process {
    explicit Process(const std::string& prefix, bool near = true)
        : redis(options()), cache(redis, prefix, 60), bus(redis, {cache.channel()}) {
        if (near) cache.attach(bus, 1 << 20);
        bus.start();
        for (int i = 0; i < 200 && !bus.subscribed(); ++i)
            std::this_thread::sleep_for(10ms);
    }
    cache::Redis redis;
    cache::Cache cache;
    cache::EventBus bus;
};

// Deletes every Redis key of prefix: what is then returned without a load came from the process.
void forget_redis_entries(cache::Redis& redis, const std::string& prefix) {
    auto keys = redis.command({"KEYS", prefix + "c:*"});
    ASSERT_TRUE(keys);
    for (size_t i = 0; i < keys->get()->elements; ++i)
        redis.command({"DEL", keys->get()->element[i]->str});
}

TEST(NearCache, EpochRejectsALoadThatRacedWithAnInvalidation) {
    cache::NearCache near(1 << 20, 5s);
    auto before = near.epoch();
    near.invalidate("artists");  // a write committed while the value was being loaded
    near.put("artists", "list", "old", before, 1);
    EXPECT_FALSE(near.get("artists", "list", 1));
    near.put("artists", "list", "new", near.epoch(), 1);
    ASSERT_TRUE(near.get("artists", "list", 1));
    EXPECT_EQ(*near.get("artists", "list", 1), "new");
    EXPECT_FALSE(near.get("artists", "list", 2));  // another subscription session
}

TEST(NearCache, StaysWithinItsBudget) {
    cache::NearCache near(64 * 1024, 5s);
    std::string value(1000, 'x');
    for (int i = 0; i < 1000; ++i)
        near.put("n", std::to_string(i), value, near.epoch(), 1);
    EXPECT_LE(near.bytes(), 64u * 1024);
    EXPECT_GT(near.bytes(), 32u * 1024);
    near.invalidate("");
    EXPECT_EQ(near.bytes(), 0u);
}

TEST(NearCache, ExpiresEntries) {
    cache::NearCache near(1 << 20, 50ms);
    near.put("n", "k", "v", near.epoch(), 1);
    EXPECT_TRUE(near.get("n", "k", 1));
    std::this_thread::sleep_for(80ms);
    EXPECT_FALSE(near.get("n", "k", 1));
}

TEST(NearCache, ServesHotEntriesWithoutRedisAndReadsItsOwnWrites) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process p(prefix);
    ASSERT_TRUE(p.bus.subscribed());
    int loads = 0;
    std::string value = "v1";
    auto loader = [&] {
        ++loads;
        return value;
    };
    EXPECT_EQ(p.cache.get_or_load("artists", "list", loader), "v1");
    forget_redis_entries(p.redis, prefix);
    EXPECT_EQ(p.cache.get_or_load("artists", "list", loader), "v1");  // from the process
    EXPECT_EQ(loads, 1);
    value = "v2";
    p.cache.invalidate({"artists"});
    EXPECT_EQ(p.cache.get_or_load("artists", "list", loader), "v2");  // synchronously gone
    EXPECT_EQ(loads, 2);
}

// In process too, a value of several namespaces goes with any of them (and not with "lib", a
// prefix of one of their names).
TEST(NearCache, ValuesOfSeveralNamespacesGoWithAnyOfThem) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process p(prefix);
    ASSERT_TRUE(p.bus.subscribed());
    int loads = 0;
    auto loader = [&] { return "v" + std::to_string(++loads); };
    EXPECT_EQ(p.cache.get_or_load({"library", "annotations"}, "k", loader), "v1");
    forget_redis_entries(p.redis, prefix);
    p.cache.invalidate({"lib"});
    EXPECT_EQ(p.cache.get_or_load({"library", "annotations"}, "k", loader), "v1");
    p.cache.invalidate({"annotations"});
    EXPECT_EQ(p.cache.get_or_load({"library", "annotations"}, "k", loader), "v2");
    forget_redis_entries(p.redis, prefix);
    p.cache.invalidate({"library"});
    EXPECT_EQ(p.cache.get_or_load({"library", "annotations"}, "k", loader), "v3");
}

TEST(NearCache, AnotherProcessesWriteReachesEveryProcess) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process reader(prefix), writer(prefix);
    ASSERT_TRUE(reader.bus.subscribed());
    std::string value = "v1";
    auto loader = [&] { return value; };
    EXPECT_EQ(reader.cache.get_or_load("albums", "7", loader), "v1");
    value = "v2";
    writer.cache.invalidate({"albums"});
    std::string seen;
    for (int i = 0; i < 100 && seen != "v2"; ++i) {
        seen = reader.cache.get_or_load("albums", "7", loader);
        if (seen != "v2") std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(seen, "v2");
    value = "v3";
    writer.cache.invalidate_all();
    for (int i = 0; i < 100 && seen != "v3"; ++i) {
        seen = reader.cache.get_or_load("albums", "7", loader);
        if (seen != "v3") std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(seen, "v3");
}

// get_or_load_local (users' secrets): kept in process, never in Redis, gone with an
// invalidation from another process, and not kept at all while invalidations could be missed.
TEST(NearCache, LocalValuesStayInTheProcess) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process reader(prefix), writer(prefix);
    ASSERT_TRUE(reader.bus.subscribed());
    ASSERT_TRUE(reader.cache.keeps_local());
    int loads = 0;
    std::string value = "secret-1";
    auto loader = [&] {
        ++loads;
        return value;
    };
    EXPECT_EQ(reader.cache.get_or_load_local("users", "k", loader), "secret-1");
    EXPECT_EQ(reader.cache.get_or_load_local("users", "k", loader), "secret-1");
    EXPECT_EQ(loads, 1);
    auto keys = reader.redis.command({"KEYS", prefix + "*"});
    ASSERT_TRUE(keys);
    for (size_t i = 0; i < keys->get()->elements; ++i) {
        auto v = reader.redis.command({"GET", keys->get()->element[i]->str});
        if (v && v->get()->type == REDIS_REPLY_STRING) {
            EXPECT_EQ(std::string(v->get()->str, v->get()->len).find("secret"), std::string::npos);
        }
    }
    value = "secret-2";
    writer.cache.invalidate({"users"});
    std::string seen;
    for (int i = 0; i < 100 && seen != "secret-2"; ++i) {
        seen = reader.cache.get_or_load_local("users", "k", loader);
        if (seen != "secret-2") std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(seen, "secret-2");

    cache::Redis redis(options());
    cache::Cache unsubscribed(redis, prefix, 60);
    cache::EventBus bus(redis, {unsubscribed.channel()});
    unsubscribed.attach(bus, 1 << 20);  // never started
    EXPECT_FALSE(unsubscribed.keeps_local());
    loads = 0;
    unsubscribed.get_or_load_local("users", "k", loader);
    unsubscribed.get_or_load_local("users", "k", loader);
    EXPECT_EQ(loads, 2);
}

TEST(NearCache, UnusedWhileTheBusIsNotSubscribed) {
    std::string prefix = "near" + unique_suffix() + ":";
    cache::Redis redis(options());
    cache::Cache cache(redis, prefix, 60);
    cache::EventBus bus(redis, {cache.channel()});
    cache.attach(bus, 1 << 20);  // never started: invalidations from elsewhere would be missed
    int loads = 0;
    auto loader = [&] {
        ++loads;
        return std::string("v");
    };
    cache.get_or_load("n", "k", loader);
    forget_redis_entries(redis, prefix);
    cache.get_or_load("n", "k", loader);
    EXPECT_EQ(loads, 2);
}

TEST(NearCache, ConcurrentMissesOfOneKeyLoadOnce) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process p(prefix);
    ASSERT_TRUE(p.bus.subscribed());
    std::atomic<int> loads{0};
    auto loader = [&] {
        ++loads;
        std::this_thread::sleep_for(200ms);  // a slow query: every thread arrives meanwhile
        return std::string("v");
    };
    std::vector<std::thread> threads;
    std::vector<std::string> got(16);
    for (size_t i = 0; i < got.size(); ++i)
        threads.emplace_back(
            [&, i] { got[i] = p.cache.get_or_load("albums", "tracks:1", loader); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(loads.load(), 1);
    for (const auto& g : got)
        EXPECT_EQ(g, "v");
}

TEST(NearCache, ACallerAfterAnInvalidationDoesNotShareAnOlderLoad) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process p(prefix);
    ASSERT_TRUE(p.bus.subscribed());
    std::atomic<bool> loading{false};
    std::string old_value;
    std::thread slow([&] {
        old_value = p.cache.get_or_load("artists", "list", [&] {
            loading = true;
            std::this_thread::sleep_for(300ms);
            return std::string("before the write");
        });
    });
    for (int i = 0; i < 200 && !loading; ++i)
        std::this_thread::sleep_for(5ms);
    ASSERT_TRUE(loading.load());
    p.cache.invalidate({"artists"});  // a write committed while the slow load ran
    int loads = 0;
    std::string after = p.cache.get_or_load("artists", "list", [&] {
        ++loads;
        return std::string("after the write");
    });
    slow.join();
    EXPECT_EQ(loads, 1);
    EXPECT_EQ(after, "after the write");
    EXPECT_EQ(old_value, "before the write");
}

TEST(NearCache, AFailedLoadIsRetriedByTheCallersThatWaitedForIt) {
    std::string prefix = "near" + unique_suffix() + ":";
    Process p(prefix);
    ASSERT_TRUE(p.bus.subscribed());
    std::atomic<int> loads{0};
    auto loader = [&]() -> std::string {
        if (++loads == 1) {
            std::this_thread::sleep_for(200ms);
            throw std::runtime_error("database down");
        }
        return "v";
    };
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    std::vector<std::string> got(4);
    for (size_t i = 0; i < got.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                got[i] = p.cache.get_or_load("genres", "all", loader);
            } catch (const std::runtime_error&) {
                ++failures;
            }
        });
        if (i == 0) std::this_thread::sleep_for(50ms);  // the first one leads
    }
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(failures.load(), 1);  // only the load that failed
    for (size_t i = 1; i < got.size(); ++i)
        EXPECT_EQ(got[i], "v");
}

}  // namespace
}  // namespace sonique::test
