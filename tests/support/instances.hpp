#pragma once
// Private PostgreSQL and Redis servers for disruptive tests (stop/restart mid-test), started
// through scripts/pg-instance.sh and scripts/redis-instance.sh.
#include <string>

namespace sonique::test {

class PrivatePostgres {
  public:
    PrivatePostgres();  // initialised and started on a free port; database "sonique" exists
    ~PrivatePostgres();
    void stop();
    void start();
    std::string url() const;  // postgresql://postgres@127.0.0.1:<port>/sonique

  private:
    std::string dir_;
    int port_ = 0;
};

class PrivateRedis {
  public:
    PrivateRedis();
    ~PrivateRedis();
    void stop();
    void start();
    std::string url() const;
    int port() const noexcept { return port_; }

  private:
    std::string dir_;
    int port_ = 0;
};

// Runs a shell command; returns its stdout; throws std::runtime_error on a non-zero status.
std::string run_command(const std::string& command);

}  // namespace sonique::test
