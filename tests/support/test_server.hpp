#pragma once
// An in-process sonique server on a free port over a throwaway database.
#include <httplib.h>

#include <memory>
#include <string>

#include "core/json.hpp"
#include "runtime.hpp"
#include "support/test_env.hpp"

namespace sonique::test {

class TestServer {
  public:
    // Creates a database (unless config.database_url is already set by adjust) and serves.
    explicit TestServer(const std::string& hint,
                        const std::function<void(Config&)>& adjust = nullptr);
    ~TestServer();

    int port() const noexcept { return port_; }
    app::Runtime& runtime() noexcept { return *runtime_; }
    // A fresh client (one per thread: httplib clients are not thread-safe).
    std::unique_ptr<httplib::Client> client() const;
    const std::string& database_url() const noexcept { return db_url_; }

  private:
    std::unique_ptr<TestDatabase> db_;
    std::string db_url_;
    std::string data_dir_;
    std::unique_ptr<app::Runtime> runtime_;
    int port_ = 0;
};

// Parses a response body as JSON (fails the test on bad JSON).
Json body_json(const httplib::Result& res);

}  // namespace sonique::test
