#pragma once
// What every service is built from: configuration, the database pool, the cache and events.
#include "cache/cache.hpp"
#include "cache/pubsub.hpp"
#include "cache/redis.hpp"
#include "core/config.hpp"
#include "db/pool.hpp"

namespace sonique::services {

struct ServiceContext {
    const Config& config;
    db::Pool& pool;
    cache::Redis& redis;
    cache::Cache& cache;
    cache::EventBus& events;
};

// Redis channels of the contract (§10).
inline constexpr const char* kProgressChannel = "progress";
inline constexpr const char* kNotificationsChannel = "notifications";

}  // namespace sonique::services
