#pragma once
// Options for the test Redis (SONIQUE_TEST_REDIS_URL), shared by the cache suites.
#include "cache/redis.hpp"
#include "core/config.hpp"
#include "support/test_env.hpp"

namespace sonique::test {

inline cache::RedisOptions options() {
    auto ep = parse_redis_url(redis_url());
    cache::RedisOptions o;
    o.host = ep.host;
    o.port = ep.port;
    o.db = ep.db;
    return o;
}

}  // namespace sonique::test
