#pragma once
// Configuration from the environment (the old backend's names where they exist) and flags.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/log.hpp"

namespace sonique {

// Thrown for a bad value; the message names the setting and the accepted values.
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct RedisEndpoint {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string password;
    int db = 0;
};

struct Config {
    std::string database_url;  // libpq URI or conninfo
    std::string redis_url = "redis://127.0.0.1:6379/0";
    RedisEndpoint redis;                             // parsed from redis_url
    bool redis_enabled = true;                       // REDIS_URL=none disables caching and pub/sub
    std::string redis_prefix = "sonique:";           // prefix of every cache key
    std::vector<std::string> music_roots{"/music"};  // MUSIC_PATH, ':'-separated
    std::string host = "0.0.0.0";
    int port = 8001;
    std::string encryption_key;  // empty: encrypted settings are refused
    int db_pool_size = 8;
    int db_acquire_timeout_ms = 2000;
    int db_statement_timeout_ms = 15000;
    int redis_pool_size = 16;
    int http_threads = 1024;  // upper bound; threads start at 8 and grow with load
    int scan_threads = 0;     // 0: the number of cores
    int cache_ttl_s = 300;
    int near_cache_mb = 16;  // 0: every cached read asks Redis
    long long body_limit = 16LL << 20;
    int read_timeout_s = 30;
    int write_timeout_s = 30;
    int shutdown_grace_s = 10;
    bool watch = false;
    // SONIQUE_API_WRITE_KEY_REQUIRED: POST/PUT/PATCH/DELETE on /api/* need an administrator's
    // API key (X-API-Key or Authorization: Bearer). Off by default: the NiceGUI frontend sends
    // no key.
    bool api_write_key_required = false;
    // Sonic analysis (docs/analysis.md): seconds analysed per track from its middle (0: all),
    // the time limit per file, files analysed at once (0: the number of cores), and whether
    // `serve` analyses by itself after a scan that added or changed tracks.
    int analysis_excerpt_s = 60;
    int analysis_timeout_s = 120;
    int analysis_workers = 0;
    bool analysis_auto = true;
    log::Level log_level = log::Level::kInfo;
    std::string docs_dir;  // swagger-ui-dist folder; empty: found next to the binary
    // Issue 16, media (docs/configuration.md).
    int transcode_limit = 4;                    // ffmpeg children at once (stream)
    std::string data_dir = "/var/lib/sonique";  // the server's own files (the covers' cache)
    int cover_cache_mb = 256;                   // getCoverArt's resized covers on disk
    // Vector search (docs/search.md): FAISS's OpenMP threads, where indexes are saved (empty:
    // kept in memory, rebuilt from PostgreSQL at start), the size up to which an index is exact.
    int search_threads = 1;
    std::string index_dir;
    int vector_exact_limit = 20000;
    // Text search from the in-memory typeahead index (docs/search.md); off: the SQL path always.
    bool search_index = true;
    // UPnP/DLNA media server (docs/dlna-network.md): on/off, the friendly name (empty: "Sonique
    // on <hostname>"), the interfaces announced on (empty: every one with a private IPv4
    // address), the multicast TTL, the advertised lifetime, whether clients on public addresses
    // are answered, and the GENA eventing port (-1: the HTTP port + 1; 0: any free port).
    bool dlna = true;
    std::string dlna_name;
    std::vector<std::string> dlna_interfaces;
    int dlna_ttl = 2;
    int dlna_max_age_s = 1800;
    bool dlna_allow_public = false;
    int dlna_event_port = -1;
};

// Reads the settings from env and consumes recognised --flags from args (flags win).
// Positional arguments are left in args. Throws ConfigError naming the bad setting.
Config load_config(const std::map<std::string, std::string>& env, std::vector<std::string>& args);

// The process environment as a map.
std::map<std::string, std::string> environment();

// Parses redis://[:password@]host[:port][/db]. Throws ConfigError.
RedisEndpoint parse_redis_url(const std::string& url);

// The help text listing every setting with its flag, variable and default.
std::string config_help();

}  // namespace sonique
