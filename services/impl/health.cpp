#include "services/health.hpp"

#include "cache/redis.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"

namespace sonique::services {

JsonText HealthService::check() {
    {
        auto conn = ctx_.pool.acquire();
        conn->exec("SELECT 1");
    }
    auto stats = ctx_.pool.stats();
    const char* redis = "disabled";
    if (ctx_.config.redis_enabled) redis = ctx_.redis.command({"PING"}) ? "up" : "down";
    return JsonText::from(
        {{"status", "healthy"},
         {"database", "up"},
         {"redis", redis},
         {"pool", {{"size", stats.size}, {"open", stats.open}, {"idle", stats.idle}}}});
}

}  // namespace sonique::services
