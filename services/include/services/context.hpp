#pragma once
// What every service is built from: configuration, the database pool, the cache and events.
// The pool, Redis, cache and event bus are only declared here, so that the layers above
// services (server/) never see libpq or hiredis; services' own sources include db/ and cache/.
#include "core/config.hpp"

namespace sonique::db {
class Pool;
}
namespace sonique::cache {
class Redis;
class Cache;
class EventBus;
}  // namespace sonique::cache

namespace sonique::services {

class SonicIndex;

struct ServiceContext {
    const Config& config;
    db::Pool& pool;
    cache::Redis& redis;
    cache::Cache& cache;
    cache::EventBus& events;
    // The sonic vector sets (sonic_index.hpp); null where nothing asks for similarity by sound
    // (the command-line tools), and then every such answer falls back as if no track had a
    // vector. Set by the runtime before the routes are made.
    SonicIndex* sonic = nullptr;
    // A small pool of its own for background index work (vector-set loads, generation checks,
    // catch-ups): a load that waits on a table lock (a scan's, a migration's) then holds none of
    // the request pool's connections, whose exhaustion would stall requests and scans. Null in
    // the command-line tools and in tests that build a context by hand: `pool` is used then.
    db::Pool* background = nullptr;

    db::Pool& background_pool() const noexcept { return background ? *background : pool; }
};

// Redis channels of the contract (§10).
inline constexpr const char* kProgressChannel = "progress";
inline constexpr const char* kNotificationsChannel = "notifications";

}  // namespace sonique::services
