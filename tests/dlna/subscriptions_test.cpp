// The subscription table: bounded, expiring, renewable, SEQ in order, dead callbacks dropped.
#include <gtest/gtest.h>

#include "subscriptions.hpp"

namespace sonique::dlna::gena {
namespace {

std::vector<Url> cb() {
    return {Url{0x0a000002, 4000, "10.0.0.2", "/"}};
}

TEST(Subscriptions, AddRenewRemoveAndExpire) {
    SubscriptionTable t(8);
    auto now = Clock::now();
    auto a = t.add(0, cb(), 60, now);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->sid.rfind("uuid:", 0), 0u);
    EXPECT_EQ(a->sid.size(), 41u);
    auto b = t.add(1, cb(), 60, now);
    ASSERT_TRUE(b);
    EXPECT_NE(a->sid, b->sid);
    EXPECT_EQ(t.of(0, now).size(), 1u);
    EXPECT_FALSE(t.renew(a->sid, 1, 60, now));  // a SID belongs to its service
    EXPECT_FALSE(t.renew("uuid:unknown", 0, 60, now));
    EXPECT_TRUE(t.renew(a->sid, 0, 600, now + std::chrono::seconds(59)));
    // b expires after 60 s, a (renewed) lives on.
    EXPECT_EQ(t.expire(now + std::chrono::seconds(61)), 1u);
    EXPECT_EQ(t.size(), 1u);
    EXPECT_FALSE(t.renew(a->sid, 0, 60, now + std::chrono::seconds(59 + 601)));
    EXPECT_EQ(t.size(), 0u);
    auto c = t.add(0, cb(), 60, now);
    EXPECT_FALSE(t.remove(c->sid, 1));
    EXPECT_TRUE(t.remove(c->sid, 0));
    EXPECT_FALSE(t.remove(c->sid, 0));
}

TEST(Subscriptions, BoundedButExpiredOnesMakeRoom) {
    SubscriptionTable t(2);
    auto now = Clock::now();
    ASSERT_TRUE(t.add(0, cb(), 10, now));
    ASSERT_TRUE(t.add(0, cb(), 100, now));
    EXPECT_FALSE(t.add(0, cb(), 100, now));
    EXPECT_TRUE(t.add(0, cb(), 100, now + std::chrono::seconds(11)));
}

TEST(Subscriptions, SeqStartsAtZeroAndWrapsToOne) {
    SubscriptionTable t(2);
    auto s = t.add(0, cb(), 60, Clock::now());
    EXPECT_EQ(t.take_seq(s->sid), 0u);
    EXPECT_EQ(t.take_seq(s->sid), 1u);
    EXPECT_EQ(t.take_seq(s->sid), 2u);
    EXPECT_FALSE(t.take_seq("uuid:gone"));
}

TEST(Subscriptions, DroppedAfterFailuresInARow) {
    SubscriptionTable t(2);
    auto s = t.add(0, cb(), 60, Clock::now());
    EXPECT_FALSE(t.record(s->sid, false, 3));
    EXPECT_FALSE(t.record(s->sid, false, 3));
    EXPECT_FALSE(t.record(s->sid, true, 3));  // a success starts the count again
    EXPECT_FALSE(t.record(s->sid, false, 3));
    EXPECT_FALSE(t.record(s->sid, false, 3));
    EXPECT_TRUE(t.record(s->sid, false, 3));
    EXPECT_EQ(t.size(), 0u);
}

}  // namespace
}  // namespace sonique::dlna::gena
