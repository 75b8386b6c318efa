// Events across two buses (two "processes") sharing one Redis, and locally without Redis.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "cache/pubsub.hpp"
#include "core/json.hpp"
#include "redis_options.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {
using namespace std::chrono_literals;

struct Collector {
    std::mutex m;
    std::condition_variable cv;
    std::vector<std::pair<std::string, Json>> got;
    void add(const std::string& ch, const std::string& msg) {
        std::lock_guard l(m);
        got.emplace_back(ch, Json::parse(msg));
        cv.notify_all();
    }
    bool wait_for(size_t n) {
        std::unique_lock l(m);
        return cv.wait_for(l, 3s, [&] { return got.size() >= n; });
    }
};

void wait_subscribed(cache::EventBus& bus) {
    for (int i = 0; i < 100 && !bus.subscribed(); ++i)
        std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(50ms);
}

TEST(Events, RelayedToOtherProcessesOnceAndLocallyOnce) {
    std::string channel = "test-progress-" + unique_suffix();
    cache::Redis ra(options()), rb(options());
    cache::EventBus a(ra, {channel}), b(rb, {channel});
    Collector ca, cb;
    a.subscribe([&](auto& ch, auto& msg) { ca.add(ch, msg); });
    b.subscribe([&](auto& ch, auto& msg) { cb.add(ch, msg); });
    a.start();
    b.start();
    wait_subscribed(a);
    wait_subscribed(b);
    a.publish(channel, R"({"type":"progress","task_id":"t1","current":1})");
    ASSERT_TRUE(cb.wait_for(1));
    ASSERT_TRUE(ca.wait_for(1));
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(ca.got.size(), 1u) << "own events must not come back through Redis";
    EXPECT_EQ(cb.got.size(), 1u);
    EXPECT_EQ(cb.got[0].first, channel);
    EXPECT_EQ(cb.got[0].second["task_id"], "t1");
    EXPECT_FALSE(cb.got[0].second.contains("origin"));
}

TEST(Events, LocalDeliveryWorksWithoutRedis) {
    auto o = options();
    o.port = 1;  // nothing listens there
    cache::Redis redis(o);
    cache::EventBus bus(redis, {"progress"});
    bus.start();
    Collector c;
    int token = bus.subscribe([&](auto& ch, auto& msg) { c.add(ch, msg); });
    bus.publish("progress", R"({"type":"progress"})");
    ASSERT_TRUE(c.wait_for(1));
    bus.unsubscribe(token);
    bus.publish("progress", R"({"type":"progress"})");
    EXPECT_EQ(c.got.size(), 1u);
    bus.stop();
}

}  // namespace
}  // namespace sonique::test
