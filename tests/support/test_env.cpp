#include "support/test_env.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "db/connection.hpp"
#include "db/migrate.hpp"

namespace sonique::test {
namespace {
std::string env_or_throw(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(std::string(name) +
                                 " is not set: run the tests through scripts/test.sh");
    return v;
}
}  // namespace

std::string admin_database_url() {
    return env_or_throw("SONIQUE_TEST_DATABASE_URL");
}
std::string redis_url() {
    return env_or_throw("SONIQUE_TEST_REDIS_URL");
}

std::string repo_dir() {
    const char* v = std::getenv("SONIQUE_REPO_DIR");
    return v && *v ? v : SONIQUE_SOURCE_DIR;
}

std::string fixtures_dir() {
    const char* v = std::getenv("SONIQUE_FIXTURES_DIR");
    return v && *v ? v : repo_dir() + "/../shared/fixtures";
}

std::string unique_suffix() {
    static std::atomic<int> counter{0};
    return std::to_string(getpid()) + "_" + std::to_string(counter++);
}

std::string with_database(const std::string& url, const std::string& db) {
    auto scheme = url.find("://");
    auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    auto query = url.find('?');
    std::string base = slash == std::string::npos ? url : url.substr(0, slash);
    std::string tail = query == std::string::npos ? "" : url.substr(query);
    return base + "/" + db + tail;
}

TestDatabase::TestDatabase(const std::string& hint, bool migrate) {
    name_ = "t_" + hint + "_" + unique_suffix();
    db::Connection admin({admin_database_url(), 0, 5});
    admin.exec_script("DROP DATABASE IF EXISTS " + name_);
    admin.exec_script("CREATE DATABASE " + name_);
    url_ = with_database(admin_database_url(), name_);
    if (migrate) {
        db::Connection conn({url_, 0, 5});
        db::migrate(conn);
    }
}

TestDatabase::~TestDatabase() {
    try {
        db::Connection admin({admin_database_url(), 0, 5});
        admin.exec_script("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
    }
}

Config test_config(const std::string& db_url) {
    Config c;
    c.database_url = db_url;
    c.redis_url = redis_url();
    c.redis = parse_redis_url(c.redis_url);
    c.redis_prefix = "t" + unique_suffix() + ":";
    c.host = "127.0.0.1";
    c.port = 0;
    c.db_pool_size = 4;
    c.db_acquire_timeout_ms = 1000;
    c.http_threads = 16;
    c.log_level = log::Level::kWarn;
    c.music_roots = {"/nonexistent-music-root"};
    // Each server its own (the cover cache); TestServer removes it.
    c.data_dir = "/tmp/sonique-test-data-" + unique_suffix();
    return c;
}

}  // namespace sonique::test
