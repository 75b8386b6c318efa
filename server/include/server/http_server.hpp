#pragma once
// cpp-httplib server: dispatch through the route table, CORS, error mapping, limits, access log
// and graceful shutdown.
#include <atomic>
#include <memory>
#include <string>

#include "server/router.hpp"

namespace httplib {
class Server;
}

namespace sonique::server {

struct ServerOptions {
    std::string host = "0.0.0.0";
    int port = 8001;  // 0: any free port
    int threads = 64;
    long long body_limit = 16LL << 20;
    int read_timeout_s = 30;
    int write_timeout_s = 30;
    // Requests per connection. A connection the server closes leaves its TIME_WAIT on the server
    // side, and a client reconnecting from the same port then waits for a SYN retransmission
    // (1 s and more): with 100 or 1,000, wrk saw p99s of seconds and timeouts. Idle connections
    // still close after keep_alive_timeout_s.
    int keep_alive_max = 1000000;
    int keep_alive_timeout_s = 5;
    // POSTs under this path prefix (e.g. "/rest/") have their body read whole, up to
    // body_limit, whatever its type: httplib 0.11 would refuse an
    // application/x-www-form-urlencoded body past 8 KiB (a compiled-in limit) before routing.
    // Their handlers parse the body themselves. Empty: none.
    std::string raw_body_prefix;
};

class HttpServer {
  public:
    HttpServer(ServerOptions options, const Router& router);
    ~HttpServer();
    // Binds the socket; returns the port. Throws std::runtime_error when it cannot.
    int bind();
    // Serves until stop(); returns after in-flight requests finished. Call after bind().
    void run();
    // Stops accepting; in-flight requests complete. Any thread (e.g. a signal thread).
    void stop();
    bool running() const;
    // True once stop() was called: long-lived responses (SSE, streams) should end.
    bool stopping() const noexcept { return stopping_.load(); }

  private:
    void dispatch(const httplib::Request& req, httplib::Response& res);

    ServerOptions options_;
    const Router& router_;
    std::unique_ptr<httplib::Server> http_;
    std::atomic<bool> stopping_{false};
    int listen_fd_ = -1;
};

// Writes the contract's error answer for the exception currently being handled.
void write_current_exception(httplib::Response& res);
// {"detail": text} with status.
void write_detail(httplib::Response& res, int status, const std::string& detail);

}  // namespace sonique::server
