// PostgreSQL and Redis going away and coming back while the server runs.
#include <gtest/gtest.h>

#include <chrono>

#include "cache/cache.hpp"
#include "support/instances.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono;

long long elapsed_ms(steady_clock::time_point since) {
    return duration_cast<milliseconds>(steady_clock::now() - since).count();
}

TEST(Outage, PoolExhaustionAnswers503WithinTheAcquireTimeout) {
    TestServer server("exhaust", [](Config& c) {
        c.db_pool_size = 1;
        c.db_acquire_timeout_ms = 400;
    });
    auto held = server.runtime().services().pool.acquire();  // the only connection
    auto start = steady_clock::now();
    auto res = server.client()->Get("/api/healthcheck");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    EXPECT_EQ(res->get_header_value("Retry-After"), "1");
    EXPECT_LT(elapsed_ms(start), 1500);
    EXPECT_GE(elapsed_ms(start), 350);
}

TEST(Outage, PostgresRestartIsSurvivedWithoutRestartingSonique) {
    PrivatePostgres pg;
    TestServer server("pgrestart", [&](Config& c) { c.database_url = pg.url(); });
    auto client = server.client();
    ASSERT_EQ(client->Get("/api/healthcheck")->status, 200);

    pg.stop();
    for (int i = 0; i < 3; ++i) {
        auto start = steady_clock::now();
        auto res = client->Get("/api/healthcheck");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 503);
        EXPECT_LT(elapsed_ms(start), 2000) << "requests must fail fast while PostgreSQL is down";
    }

    pg.start();
    int status = 0;
    auto start = steady_clock::now();
    while (elapsed_ms(start) < 10000) {
        auto res = client->Get("/api/healthcheck");
        status = res ? res->status : 0;
        if (status == 200) break;
        std::this_thread::sleep_for(milliseconds(100));
    }
    EXPECT_EQ(status, 200);
    // Every pooled connection was replaced: several requests in a row all succeed.
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(client->Get("/api/healthcheck")->status, 200);
}

TEST(Outage, RedisDownKeepsAnsweringAndCachingResumes) {
    PrivateRedis redis;
    TestServer server("redisdown", [&](Config& c) {
        c.redis_url = redis.url();
        c.redis = parse_redis_url(c.redis_url);
    });
    auto& cache = server.runtime().services().cache;
    int loads = 0;
    auto loader = [&] {
        ++loads;
        return std::string("value");
    };
    EXPECT_EQ(cache.get_or_load("ns", "k", loader), "value");
    EXPECT_EQ(cache.get_or_load("ns", "k", loader), "value");
    EXPECT_EQ(loads, 1) << "second read should come from Redis";

    redis.stop();
    auto client = server.client();
    auto res = client->Get("/api/healthcheck");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(body_json(res)["redis"], "down");
    auto start = steady_clock::now();
    EXPECT_EQ(cache.get_or_load("ns", "k", loader), "value");
    EXPECT_EQ(cache.get_or_load("ns", "k", loader), "value");
    EXPECT_EQ(loads, 3) << "while Redis is down every read goes to the source";
    EXPECT_LT(elapsed_ms(start), 1000);

    redis.start();
    std::this_thread::sleep_for(milliseconds(1100));  // past the reconnect backoff
    int before = loads;
    for (int i = 0; i < 3; ++i)
        cache.get_or_load("ns", "k", loader);
    EXPECT_EQ(loads, before + 1) << "caching resumes once Redis is back";
    EXPECT_EQ(body_json(client->Get("/api/healthcheck"))["redis"], "up");
}

}  // namespace
}  // namespace sonique::test
