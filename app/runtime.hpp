#pragma once
// Owns the process-wide parts (pool, Redis, cache, events) built from a Config, and optionally
// an HTTP server over all routes. Used by the commands and by integration tests.
#include <memory>
#include <thread>

#include "cache/cache.hpp"
#include "cache/pubsub.hpp"
#include "cache/redis.hpp"
#include "core/config.hpp"
#include "db/pool.hpp"
#include "server/http_server.hpp"
#include "server/routes.hpp"
#include "services/context.hpp"
#include "services/sonic_index.hpp"

namespace sonique::app {

class DlnaNetwork;

db::PoolOptions pool_options(const Config& config);
// The background index pool's (ServiceContext::background): the same server, its own
// connections, kBackgroundPoolSize of them, a long wait for one.
inline constexpr int kBackgroundPoolSize = 2;
db::PoolOptions background_pool_options(const Config& config);
cache::RedisOptions redis_options(const Config& config);

class Runtime {
  public:
    explicit Runtime(Config config);
    ~Runtime();

    // Waits up to wait_s seconds for PostgreSQL, then applies migrations. Throws DbError.
    void migrate(int wait_s);
    // Builds the routes and binds the HTTP server; returns the port. With config().dlna, the
    // DLNA media server's HTTP half is served too; `dlna` (sonique serve) gives it the device
    // identity and the eventing URLs, without it (tests) the UUID comes from the data folder and
    // the eventSubURLs point under /dlna/event on this port. Throws what binding throws.
    int bind_http(const DlnaNetwork* dlna = nullptr);
    // Serves until stop_http(); blocks.
    void serve_http();
    // Starts serve_http() on a thread (tests).
    void start_http_thread();
    void stop_http();

    Config& config() noexcept { return config_; }
    services::ServiceContext& services() noexcept { return *services_; }
    server::HttpServer* http() noexcept { return http_.get(); }
    // The route table (after bind_http()).
    const server::Router& router() const noexcept { return *router_; }

  private:
    Config config_;
    std::unique_ptr<db::Pool> pool_;
    std::unique_ptr<db::Pool> background_pool_;  // services::ServiceContext::background
    std::unique_ptr<cache::Redis> redis_;
    std::unique_ptr<cache::Cache> cache_;
    std::unique_ptr<cache::EventBus> events_;
    std::unique_ptr<services::ServiceContext> services_;
    // Made by bind_http() (the commands without routes never load it); destroyed before the
    // pool its threads use, after the routes that read it.
    std::unique_ptr<services::SonicIndex> sonic_;
    std::unique_ptr<server::RouteEnv> route_env_;
    std::unique_ptr<server::Router> router_;
    std::unique_ptr<server::HttpServer> http_;
    std::thread http_thread_;
};

}  // namespace sonique::app
