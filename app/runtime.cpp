#include "runtime.hpp"

#include <chrono>
#include <thread>

#include "core/log.hpp"
#include "db/errors.hpp"
#include "db/migrate.hpp"
#include "dlna/identity_store.hpp"
#include "dlna/routes.hpp"
#include "dlna_network.hpp"
#include "search/vector_sync.hpp"
#include "services/library_update_id.hpp"
#include "subsonic/routes.hpp"

namespace sonique::app {

db::PoolOptions pool_options(const Config& c) {
    db::PoolOptions o;
    o.connect.url = c.database_url;
    o.connect.statement_timeout_ms = c.db_statement_timeout_ms;
    o.size = c.db_pool_size;
    o.acquire_timeout = std::chrono::milliseconds(c.db_acquire_timeout_ms);
    return o;
}

db::PoolOptions background_pool_options(const Config& c) {
    db::PoolOptions o = pool_options(c);
    // Background loads wait behind each other rather than fail: nothing answers a client here.
    o.size = kBackgroundPoolSize;
    o.acquire_timeout = std::chrono::seconds(60);
    return o;
}

cache::RedisOptions redis_options(const Config& c) {
    cache::RedisOptions o;
    o.host = c.redis.host;
    o.port = c.redis.port;
    o.password = c.redis.password;
    o.db = c.redis.db;
    o.pool_size = c.redis_pool_size;
    o.enabled = c.redis_enabled;
    return o;
}

Runtime::Runtime(Config config) : config_(std::move(config)) {
    log::set_level(config_.log_level);
    pool_ = std::make_unique<db::Pool>(pool_options(config_));
    background_pool_ = std::make_unique<db::Pool>(background_pool_options(config_));
    redis_ = std::make_unique<cache::Redis>(redis_options(config_));
    cache_ = std::make_unique<cache::Cache>(*redis_, config_.redis_prefix, config_.cache_ttl_s);
    events_ = std::make_unique<cache::EventBus>(
        *redis_, std::vector<std::string>{services::kProgressChannel,
                                          services::kNotificationsChannel, cache_->channel(),
                                          search::VectorSync::channel(config_.redis_prefix)});
    cache_->attach(*events_, static_cast<size_t>(config_.near_cache_mb) << 20);
    services_ = std::make_unique<services::ServiceContext>(
        services::ServiceContext{config_, *pool_, *redis_, *cache_, *events_});
    services_->background = background_pool_.get();
    events_->start();
}

Runtime::~Runtime() {
    stop_http();
    events_->stop();
}

void Runtime::migrate(int wait_s) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_s);
    bool logged = false;
    while (true) {
        try {
            auto conn = pool_->acquire();
            int applied = db::migrate(*conn);
            if (applied > 0) log::info("database migrated (", applied, " migrations applied)");
            return;
        } catch (const db::DbError& e) {
            if (e.code() != ErrorCode::kUnavailable || std::chrono::steady_clock::now() > deadline)
                throw;
            if (!logged) log::warn("waiting for PostgreSQL to accept connections");
            logged = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }
}

namespace {

dlna::ContentOptions dlna_options(const Config& config, services::ServiceContext& services,
                                  const DlnaNetwork* network) {
    dlna::ContentOptions o;
    o.allow_public_clients = config.dlna_allow_public;
    o.system_update_id = [&services] { return services::library_update_id(services); };
    o.system_update_id_is_library = true;
    if (network) {
        o.identity = network->identity("");
        o.event_url = [network](const std::string& base_url, std::string_view service) {
            return network->event_url(base_url, service == "ConnectionManager"
                                                    ? dlna::EventedService::kConnectionManager
                                                    : dlna::EventedService::kContentDirectory);
        };
    } else {
        o.identity.uuid = dlna::load_or_create_device_uuid(config.data_dir);
        o.identity.friendly_name = dlna::friendly_name(config);
    }
    return o;
}

}  // namespace

int Runtime::bind_http(const DlnaNetwork* dlna) {
    sonic_ = std::make_unique<services::SonicIndex>(*services_);
    services_->sonic = sonic_.get();
    route_env_ = std::make_unique<server::RouteEnv>(server::RouteEnv{
        *services_, [this] { return !http_ || http_->stopping(); }, nullptr, nullptr});
    router_ = std::make_unique<server::Router>();
    server::register_routes(*router_, *route_env_);
    subsonic::add_subsonic_routes(*router_, *route_env_);
    if (config_.dlna)
        dlna::add_dlna_routes(*router_, *route_env_, dlna_options(config_, *services_, dlna));
    server::ServerOptions o;
    o.host = config_.host;
    o.port = config_.port;
    o.threads = config_.http_threads;
    o.body_limit = config_.body_limit;
    o.read_timeout_s = config_.read_timeout_s;
    o.write_timeout_s = config_.write_timeout_s;
    o.raw_body_prefix = "/rest/";  // Subsonic form bodies (formPost) of any size up to the limit
    http_ = std::make_unique<server::HttpServer>(o, *router_);
    return http_->bind();
}

void Runtime::serve_http() {
    http_->run();
}

void Runtime::start_http_thread() {
    http_thread_ = std::thread([this] { serve_http(); });
    while (!http_->running())
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Runtime::stop_http() {
    if (http_) http_->stop();
    if (http_thread_.joinable()) http_thread_.join();
}

}  // namespace sonique::app
