#include "config_settings.hpp"

#include <cctype>
#include <stdexcept>

#include "core/strings.hpp"

namespace sonique::detail {
namespace {

std::function<void(Config&, const std::string&)> int_setting(int Config::*field, long lo, long hi) {
    return [=](Config& c, const std::string& v) {
        auto n = parse_int(v);
        if (!n || *n < lo || *n > hi) throw std::invalid_argument("out of range");
        c.*field = static_cast<int>(*n);
    };
}

void set_bool(bool& field, const std::string& v) {
    std::string l = to_lower(v);
    if (l == "1" || l == "true" || l == "yes" || l == "on")
        field = true;
    else if (l == "0" || l == "false" || l == "no" || l == "off" || l.empty())
        field = false;
    else
        throw std::invalid_argument("not a boolean");
}

std::string normalise_database_url(std::string v) {
    // Accept SQLAlchemy-style URLs of the old backend: postgresql+asyncpg://...
    auto plus = v.find('+');
    auto scheme_end = v.find("://");
    if (plus != std::string::npos && scheme_end != std::string::npos && plus < scheme_end)
        v.erase(plus, scheme_end - plus);
    if (!(starts_with(v, "postgresql://") || starts_with(v, "postgres://") ||
          v.find('=') != std::string::npos))
        throw std::invalid_argument("not a PostgreSQL URL");
    return v;
}

}  // namespace

const std::vector<Setting>& settings() {
    static const std::vector<Setting> table = {
        {"DATABASE_URL", "database-url",
         "postgresql://user:password@host:port/db or a libpq conninfo",
         "PostgreSQL connection (else built from POSTGRES_HOST/PORT/USER/PASSWORD/DB)",
         [](Config& c, const std::string& v) { c.database_url = normalise_database_url(v); }},
        {"REDIS_URL", "redis-url", "redis://[:password@]host[:port][/db] or 'none'",
         "Redis for caching and events",
         [](Config& c, const std::string& v) {
             if (v == "none" || v.empty()) {
                 c.redis_enabled = false;
                 return;
             }
             c.redis = parse_redis_url(v);
             c.redis_url = v;
         }},
        {"SONIQUE_REDIS_PREFIX", "redis-prefix", "letters, digits, ':', '_' or '-'",
         "prefix of cache keys (several servers may share one Redis)",
         [](Config& c, const std::string& v) {
             for (char ch : v)
                 if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != ':' && ch != '_' &&
                     ch != '-')
                     throw std::invalid_argument("bad character");
             c.redis_prefix = v;
         }},
        {"MUSIC_PATH", "music-path", "one or more absolute directories separated by ':'",
         "library roots",
         [](Config& c, const std::string& v) {
             c.music_roots.clear();
             for (auto& part : split(v, ':')) {
                 if (part.empty()) continue;
                 if (part.front() != '/') throw std::invalid_argument("not absolute");
                 while (part.size() > 1 && part.back() == '/')
                     part.pop_back();
                 c.music_roots.push_back(part);
             }
             if (c.music_roots.empty()) throw std::invalid_argument("empty");
         }},
        {"HOST", "host", "an IP address to bind", "listen address",
         [](Config& c, const std::string& v) {
             if (v.empty()) throw std::invalid_argument("empty");
             c.host = v;
         }},
        {"PORT", "port", "an integer from 1 to 65535", "HTTP port",
         int_setting(&Config::port, 1, 65535)},
        {"ENCRYPTION_KEY", "encryption-key", "a secret of at least 16 characters",
         "key for encrypted settings",
         [](Config& c, const std::string& v) {
             if (!v.empty() && v.size() < 16) throw std::invalid_argument("too short");
             c.encryption_key = v;
         }},
        {"SONIQUE_DB_POOL_SIZE", "db-pool-size", "an integer from 1 to 256",
         "PostgreSQL connections", int_setting(&Config::db_pool_size, 1, 256)},
        {"SONIQUE_DB_ACQUIRE_TIMEOUT_MS", "db-acquire-timeout-ms", "an integer from 1 to 60000",
         "wait for a free connection before answering 503",
         int_setting(&Config::db_acquire_timeout_ms, 1, 60000)},
        {"SONIQUE_DB_STATEMENT_TIMEOUT_MS", "db-statement-timeout-ms",
         "an integer from 0 (none) to 3600000", "per-statement timeout",
         int_setting(&Config::db_statement_timeout_ms, 0, 3600000)},
        {"SONIQUE_REDIS_POOL_SIZE", "redis-pool-size", "an integer from 1 to 64",
         "Redis connections", int_setting(&Config::redis_pool_size, 1, 64)},
        {"SONIQUE_HTTP_THREADS", "http-threads", "an integer from 2 to 4096",
         "most HTTP worker threads (one per open connection; grown on demand)",
         int_setting(&Config::http_threads, 2, 4096)},
        {"SONIQUE_SCAN_THREADS", "scan-threads", "an integer from 0 (cores) to 64",
         "tag reader threads", int_setting(&Config::scan_threads, 0, 64)},
        {"SONIQUE_CACHE_TTL_S", "cache-ttl-s", "an integer from 1 to 86400", "cache entry lifetime",
         int_setting(&Config::cache_ttl_s, 1, 86400)},
        {"SONIQUE_NEAR_CACHE_MB", "near-cache-mb", "an integer from 0 (off) to 1024",
         "in-process copies of hot cache entries (invalidated through Redis pub/sub)",
         int_setting(&Config::near_cache_mb, 0, 1024)},
        {"SONIQUE_BODY_LIMIT", "body-limit", "a byte count from 1024 to 1073741824",
         "largest request body (then 413)",
         [](Config& c, const std::string& v) {
             auto n = parse_int(v);
             if (!n || *n < 1024 || *n > (1LL << 30)) throw std::invalid_argument("out of range");
             c.body_limit = *n;
         }},
        {"SONIQUE_READ_TIMEOUT_S", "read-timeout-s", "an integer from 1 to 3600",
         "socket read timeout", int_setting(&Config::read_timeout_s, 1, 3600)},
        {"SONIQUE_WRITE_TIMEOUT_S", "write-timeout-s", "an integer from 1 to 3600",
         "socket write timeout", int_setting(&Config::write_timeout_s, 1, 3600)},
        {"SONIQUE_SHUTDOWN_GRACE_S", "shutdown-grace-s", "an integer from 0 to 600",
         "time given to in-flight requests at shutdown",
         int_setting(&Config::shutdown_grace_s, 0, 600)},
        {"SONIQUE_WATCH", "watch", "true or false", "watch the library roots with inotify",
         [](Config& c, const std::string& v) { set_bool(c.watch, v); }},
        {"SONIQUE_API_WRITE_KEY_REQUIRED", "api-write-key-required", "true or false",
         "writes to /api/* need an administrator's API key (X-API-Key header)",
         [](Config& c, const std::string& v) { set_bool(c.api_write_key_required, v); }},
        {"SONIQUE_ANALYSIS_EXCERPT_S", "analysis-excerpt-s", "an integer from 0 (whole) to 3600",
         "seconds of each track analysed, from its middle",
         int_setting(&Config::analysis_excerpt_s, 0, 3600)},
        {"SONIQUE_ANALYSIS_TIMEOUT_S", "analysis-timeout-s", "an integer from 1 to 3600",
         "time limit of one file's analysis", int_setting(&Config::analysis_timeout_s, 1, 3600)},
        {"SONIQUE_ANALYSIS_WORKERS", "analysis-workers", "an integer from 0 (cores) to 64",
         "files analysed at once (child processes at idle priority)",
         int_setting(&Config::analysis_workers, 0, 64)},
        {"SONIQUE_ANALYSIS_AUTO", "analysis-auto", "true or false",
         "analyse new and changed tracks after each scan (serve)",
         [](Config& c, const std::string& v) { set_bool(c.analysis_auto, v); }},
        {"LOG_LEVEL", "log-level", "debug, info, warn or error", "log verbosity",
         [](Config& c, const std::string& v) {
             if (!log::parse_level(to_lower(v), c.log_level)) throw std::invalid_argument("level");
         }},
        {"SONIQUE_DOCS_DIR", "docs-dir", "a directory holding swagger-ui-dist",
         "assets of /api/docs", [](Config& c, const std::string& v) { c.docs_dir = v; }},
        {"SONIQUE_TRANSCODE_LIMIT", "transcode-limit", "an integer from 1 to 64",
         "ffmpeg transcodes at once (Subsonic stream); past it a transcode is refused",
         int_setting(&Config::transcode_limit, 1, 64)},
        {"SONIQUE_DATA_DIR", "data-dir", "an absolute directory",
         "the server's own files (resized covers); created when missing",
         [](Config& c, const std::string& v) {
             if (v.empty() || v.front() != '/') throw std::invalid_argument("not absolute");
             c.data_dir = v;
         }},
        {"SONIQUE_COVER_CACHE_MB", "cover-cache-mb", "an integer from 0 (off) to 65536",
         "disk space of resized covers (least recently used ones go first)",
         int_setting(&Config::cover_cache_mb, 0, 65536)},
        {"SONIQUE_SEARCH_THREADS", "search-threads", "an integer from 1 to 64",
         "threads of vector index builds and batch queries (FAISS's OpenMP)",
         int_setting(&Config::search_threads, 1, 64)},
        {"SONIQUE_INDEX_DIR", "index-dir", "a writable directory, or empty",
         "where vector indexes are saved (empty: rebuilt from PostgreSQL at start)",
         [](Config& c, const std::string& v) { c.index_dir = v; }},
        {"SONIQUE_VECTOR_EXACT_LIMIT", "vector-exact-limit", "an integer from 0 to 100000000",
         "vectors up to which an index is exact (flat); beyond it, approximate (HNSW)",
         int_setting(&Config::vector_exact_limit, 0, 100000000)},
        {"SONIQUE_SEARCH_INDEX", "search-index", "true or false",
         "answer the typeahead and text search from the in-memory index (off: SQL always)",
         [](Config& c, const std::string& v) { set_bool(c.search_index, v); }},
        {"SONIQUE_DLNA", "dlna", "true or false",
         "UPnP/DLNA media server: SSDP discovery, description, control and eventing",
         [](Config& c, const std::string& v) { set_bool(c.dlna, v); }},
        {"SONIQUE_DLNA_NAME", "dlna-name", "1 to 64 printable characters",
         "the name TVs and players show (default: Sonique on <hostname>)",
         [](Config& c, const std::string& v) {
             if (v.empty() || v.size() > 64) throw std::invalid_argument("length");
             for (char ch : v)
                 if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
                     throw std::invalid_argument("control character");
             c.dlna_name = v;
         }},
        {"SONIQUE_DLNA_INTERFACES", "dlna-interfaces",
         "interface names or IPv4 addresses separated by ',' (empty: every private one)",
         "where SSDP announces and listens",
         [](Config& c, const std::string& v) {
             c.dlna_interfaces.clear();
             for (auto& part : split(v, ',')) {
                 if (part.empty()) continue;
                 if (part.size() > 64) throw std::invalid_argument("too long");
                 for (char ch : part)
                     if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' &&
                         ch != '_' && ch != '@' && ch != ':')
                         throw std::invalid_argument("bad character");
                 c.dlna_interfaces.push_back(part);
             }
         }},
        {"SONIQUE_DLNA_TTL", "dlna-ttl", "an integer from 1 to 255",
         "multicast TTL of SSDP announcements", int_setting(&Config::dlna_ttl, 1, 255)},
        {"SONIQUE_DLNA_MAX_AGE", "dlna-max-age", "an integer from 60 to 86400",
         "seconds an SSDP announcement is valid (re-announced well within it)",
         int_setting(&Config::dlna_max_age_s, 60, 86400)},
        {"SONIQUE_DLNA_ALLOW_PUBLIC", "dlna-allow-public", "true or false",
         "answer DLNA clients on public addresses too (default: private and loopback only)",
         [](Config& c, const std::string& v) { set_bool(c.dlna_allow_public, v); }},
        {"SONIQUE_DLNA_EVENT_PORT", "dlna-event-port",
         "an integer from 0 (any free port) to 65535 (default: the HTTP port + 1)",
         "TCP port of UPnP eventing (SUBSCRIBE/UNSUBSCRIBE)",
         int_setting(&Config::dlna_event_port, 0, 65535)},
    };
    return table;
}

}  // namespace sonique::detail
