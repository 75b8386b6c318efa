// Cache-aside with namespace versions against a real Redis.
#include <gtest/gtest.h>

#include "cache/cache.hpp"
#include "redis_options.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

TEST(Cache, StoresAndInvalidatesByNamespace) {
    cache::Redis redis(options());
    cache::Cache cache(redis, "t" + unique_suffix() + ":", 60);
    int loads = 0;
    std::string value = "v1";
    auto loader = [&] {
        ++loads;
        return value;
    };
    EXPECT_EQ(cache.get_or_load("artists", "list", loader), "v1");
    EXPECT_EQ(cache.get_or_load("artists", "list", loader), "v1");
    EXPECT_EQ(loads, 1);
    value = "v2";
    cache.invalidate({"albums"});  // another namespace: still cached
    EXPECT_EQ(cache.get_or_load("artists", "list", loader), "v1");
    cache.invalidate({"artists"});
    EXPECT_EQ(cache.get_or_load("artists", "list", loader), "v2");
    EXPECT_EQ(loads, 2);
    value = "v3";
    cache.invalidate_all();
    EXPECT_EQ(cache.get_or_load("artists", "list", loader), "v3");
}

// A value of several namespaces goes when any of them is invalidated, and only then; with one
// name it is the same entry as get_or_load(ns, ...).
TEST(Cache, ValuesOfSeveralNamespacesGoWithAnyOfThem) {
    cache::Redis redis(options());
    cache::Cache cache(redis, "t" + unique_suffix() + ":", 60);
    int loads = 0;
    auto loader = [&] { return "v" + std::to_string(++loads); };
    EXPECT_EQ(cache.get_or_load({"library", "annotations"}, "k", loader), "v1");
    EXPECT_EQ(cache.get_or_load({"library", "annotations"}, "k", loader), "v1");
    cache.invalidate({"albums"});
    EXPECT_EQ(cache.get_or_load({"library", "annotations"}, "k", loader), "v1");
    cache.invalidate({"annotations"});
    EXPECT_EQ(cache.get_or_load({"library", "annotations"}, "k", loader), "v2");
    cache.invalidate({"library"});
    EXPECT_EQ(cache.get_or_load({"library", "annotations"}, "k", loader), "v3");
    EXPECT_EQ(cache.get_or_load({"library"}, "one", loader), "v4");
    EXPECT_EQ(cache.get_or_load("library", "one", loader), "v4");
}

TEST(Cache, LoaderErrorsStoreNothing) {
    cache::Redis redis(options());
    cache::Cache cache(redis, "t" + unique_suffix() + ":", 60);
    EXPECT_THROW(
        cache.get_or_load("n", "k", []() -> std::string { throw std::runtime_error("x"); }),
        std::runtime_error);
    EXPECT_EQ(cache.get_or_load("n", "k", [] { return std::string("ok"); }), "ok");
}

TEST(Cache, BinaryValuesSurvive) {
    cache::Redis redis(options());
    cache::Cache cache(redis, "t" + unique_suffix() + ":", 60);
    std::string bytes("\0\xff\r\n", 4);
    cache.get_or_load("covers", "1", [&] { return bytes; });
    EXPECT_EQ(cache.get_or_load("covers", "1", [] { return std::string("miss"); }), bytes);
}

TEST(Cache, DisabledRedisAlwaysLoads) {
    auto o = options();
    o.enabled = false;
    cache::Redis redis(o);
    cache::Cache cache(redis, "x:", 60);
    int loads = 0;
    for (int i = 0; i < 3; ++i)
        cache.get_or_load("n", "k", [&] { return std::to_string(++loads); });
    EXPECT_EQ(loads, 3);
}

}  // namespace
}  // namespace sonique::test
