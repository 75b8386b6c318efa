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

// A server too busy to answer within the timeout (here: CLIENT PAUSE) is not an outage for a
// read, which becomes a miss; a write whose reply is late may have run or not, so Redis is
// then taken for unavailable until it answers again (and the cache's generation is bumped).
TEST(Outage, ALateReplyToAReadIsAMissButToAWriteAnOutage) {
    PrivateRedis server;
    auto ep = parse_redis_url(server.url());
    cache::RedisOptions o;
    o.host = ep.host;
    o.port = ep.port;
    cache::Redis redis(o), admin(o);
    ASSERT_TRUE(redis.command({"SET", "k", "v"}));
    auto pause = [&] {
        auto r = admin.command({"CLIENT", "PAUSE", "600", "ALL"});
        ASSERT_TRUE(r);
        ASSERT_FALSE(r->is_error());
    };
    pause();
    auto start = steady_clock::now();
    EXPECT_FALSE(redis.command_best_effort({"GET", "k"}));
    EXPECT_LT(elapsed_ms(start), 500);
    EXPECT_TRUE(redis.available()) << "a late read took Redis for unavailable";
    std::this_thread::sleep_for(milliseconds(500));  // the pause is over
    auto r = redis.command_best_effort({"GET", "k"});
    ASSERT_TRUE(r);
    EXPECT_EQ(std::string(r->get()->str, r->get()->len), "v");

    // A server that does not answer at all is taken for unavailable after eight late reads.
    admin.command({"CLIENT", "PAUSE", "2500", "ALL"});
    for (int i = 0; i < 7; ++i)
        EXPECT_FALSE(redis.command_best_effort({"GET", "k"}));
    EXPECT_TRUE(redis.available());
    EXPECT_FALSE(redis.command_best_effort({"GET", "k"}));
    EXPECT_FALSE(redis.available()) << "eight late reads in a row";
    std::this_thread::sleep_for(milliseconds(1100));  // past the pause and the retry delay
    ASSERT_TRUE(redis.command({"GET", "k"}));
    EXPECT_TRUE(redis.available());

    pause();
    EXPECT_FALSE(redis.command({"INCR", "n"}));
    EXPECT_FALSE(redis.available()) << "a write that may not have run must not be forgotten";
    std::this_thread::sleep_for(milliseconds(1100));  // past the pause and the retry delay
    EXPECT_TRUE(redis.command({"GET", "k"}));
    EXPECT_TRUE(redis.available());
}

}  // namespace
}  // namespace sonique::test
