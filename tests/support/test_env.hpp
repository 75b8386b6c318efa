#pragma once
// Test helpers: the servers that scripts/test.sh started, throwaway databases, configs.
#include <memory>
#include <string>

#include "core/config.hpp"

namespace sonique::test {

// Environment set by scripts/test.sh. Fails the test (throws) when missing, so that a suite
// can never pass without its servers.
std::string admin_database_url();  // SONIQUE_TEST_DATABASE_URL
std::string redis_url();           // SONIQUE_TEST_REDIS_URL
std::string repo_dir();            // the source tree
std::string fixtures_dir();        // ../shared/fixtures (SONIQUE_FIXTURES_DIR)

// A database created for one suite, migrated, dropped on destruction.
class TestDatabase {
  public:
    explicit TestDatabase(const std::string& hint, bool migrate = true);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    const std::string& url() const noexcept { return url_; }
    const std::string& name() const noexcept { return name_; }

  private:
    std::string name_;
    std::string url_;
};

// A Config pointing at db_url and the test Redis, with a unique cache key prefix, port 0 and
// small pools.
Config test_config(const std::string& db_url);

// Replaces the database name in a postgresql:// URL.
std::string with_database(const std::string& url, const std::string& db);

// A unique suffix for names in this process.
std::string unique_suffix();

}  // namespace sonique::test
