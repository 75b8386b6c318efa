#include "server/http_server.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "elastic_pool.hpp"

namespace sonique::server {
namespace {

thread_local std::chrono::steady_clock::time_point t_request_start;

constexpr int kListenBacklog = 1024;

const char* kAllowMethods = "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD";

const char* status_text(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 413:
            return "Request Entity Too Large";
        case 414:
            return "URI Too Long";
        case 416:
            return "Range Not Satisfiable";
        case 431:
            return "Request Header Fields Too Large";
        case 503:
            return "Service Unavailable";
        default:
            return status >= 500 ? "Internal Server Error" : "Error";
    }
}

// httplib 0.11 parses Range before routing and answers 416 itself when the header does not
// parse (bytes=abc, items=0-1, bytes=5-2), where RFC 9110 §14.2 says an invalid Range is
// ignored. No hook runs earlier than that check (the pre-routing handler comes after it), but
// the 416 then reaches the error handler, recognisable by its empty body and the absence of
// Content-Range (the stream route's own 416 has both). Only GET and HEAD without a body are
// answered again: Range means nothing to other methods, and httplib has not read any body yet.
bool malformed_range_rejected(const httplib::Request& req, const httplib::Response& res) {
    if (res.status != 416 || !res.body.empty() || res.has_header("Content-Range")) return false;
    if (req.method != "GET" && req.method != "HEAD") return false;
    const std::string length = req.get_header_value("Content-Length");
    return (length.empty() || length == "0") && !req.has_header("Transfer-Encoding");
}

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
// httplib 0.11 reads the body of every POST, PUT, PATCH (and DELETE) in Server::routing, and
// without either header it reads until the connection closes: a client waiting for its answer
// never closes, so the request waits out the read timeout and gets 400 without being routed
// (the old backend took it as an empty body). The pre-routing handler is the supported hook
// that runs just before that read: such a request is dispatched there, with the empty body
// it has, and the connection then carries on with the next request.
bool has_no_body(const httplib::Request& req) {
    if (req.method != "POST" && req.method != "PUT" && req.method != "PATCH" &&
        req.method != "DELETE")
        return false;
    return !req.has_header("Content-Length") && !req.has_header("Transfer-Encoding");
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ", ") + i;
    return out;
}

// The request target as the access log shows it: the values of query parameters that carry
// secrets (the OpenSubsonic API's p, t, s, apiKey, and the password of createUser, updateUser
// and changePassword) are replaced by "***". Keys are compared
// decoded, so that "%70=" hides as "p=" does.
std::string loggable_target(const std::string& target) {
    auto q = target.find('?');
    if (q == std::string::npos) return target;
    std::string out = target.substr(0, q + 1);
    bool first = true;
    for (const auto& part : split(std::string_view(target).substr(q + 1), '&')) {
        if (!first) out += '&';
        first = false;
        auto eq = part.find('=');
        std::string key = url_decode(part.substr(0, eq));
        if (key == "p" || key == "t" || key == "s" || key == "apiKey" || key == "password")
            out += part.substr(0, eq) + "=***";
        else
            out += part;
    }
    return out;
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : options_(std::move(options)), router_(router), http_(std::make_unique<httplib::Server>()) {
    auto& s = *http_;
    size_t max_threads = static_cast<size_t>(options_.threads);
    s.new_task_queue = [max_threads] {
        return new ElasticThreadPool(std::min<size_t>(8, max_threads), max_threads);
    };
    s.set_payload_max_length(static_cast<size_t>(options_.body_limit));
    s.set_read_timeout(options_.read_timeout_s, 0);
    s.set_write_timeout(options_.write_timeout_s, 0);
    s.set_keep_alive_max_count(static_cast<size_t>(options_.keep_alive_max));
    s.set_keep_alive_timeout(options_.keep_alive_timeout_s);
    s.set_default_headers({{"Access-Control-Allow-Origin", "*"}});
    // Headers and body are separate writes: without TCP_NODELAY, Nagle and delayed ACKs add
    // ~40 ms to every keep-alive response.
    s.set_tcp_nodelay(true);
    // Remember the listening socket: httplib 0.11 listens with a backlog of 5 (compiled in),
    // which makes bursts of new connections wait for SYN retransmissions. bind() raises it.
    // httplib's default options set SO_REUSEPORT, with which a second server started on the same
    // port shares it silently (half the requests then reach the other process). SO_REUSEADDR
    // alone lets a restart bind at once and makes a second server fail with "in use".
    s.set_socket_options([this](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        listen_fd_ = sock;
    });

    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_request_start = std::chrono::steady_clock::now();
        if (!has_no_body(req)) return httplib::Server::HandlerResponse::Unhandled;
        dispatch(req, res);
        if (res.status == -1) res.status = 200;  // what httplib does after routing
        return httplib::Server::HandlerResponse::Handled;
    });
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        dispatch(req, res);
    };
    const char* any = R"(.*)";
    if (!options_.raw_body_prefix.empty()) {
        // Content-reader handlers are matched before httplib reads (and form-parses) a body.
        // The prefix is a literal: escape what a regular expression would read otherwise.
        std::string pattern;
        for (char c : options_.raw_body_prefix) {
            if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos)
                pattern += '\\';
            pattern += c;
        }
        s.Post(pattern + ".*", [this](const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& read) {
            httplib::Request whole = req;
            bool complete = read([&whole](const char* data, size_t length) {
                whole.body.append(data, length);
                return true;  // httplib stops at the payload limit itself (413)
            });
            if (!complete) {
                if (res.status < 400) res.status = 400;
                return;
            }
            dispatch(whole, res);
        });
    }
    s.Get(any, handler);
    s.Post(any, handler);
    s.Put(any, handler);
    s.Delete(any, handler);
    s.Patch(any, handler);
    s.Options(any, [this](const httplib::Request& req, httplib::Response& res) {
        auto methods = router_.methods_for(req.path);
        res.status = 204;
        res.set_header("Access-Control-Allow-Methods", kAllowMethods);
        std::string asked = req.get_header_value("Access-Control-Request-Headers");
        res.set_header("Access-Control-Allow-Headers", asked.empty() ? "*" : asked);
        res.set_header("Access-Control-Max-Age", "600");
        if (!methods.empty()) res.set_header("Allow", join(methods) + ", OPTIONS");
    });
    // Answers produced by httplib itself (413, 400 on a bad request line, ...) get a JSON body,
    // except its 416 for a malformed Range: the request is routed as if it had no Range.
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
            if (malformed_range_rejected(req, res)) {
                t_request_start = std::chrono::steady_clock::now();
                // req is process_request's local, not const (as in routes_stream.cpp); a
                // partly parsed header may have left ranges behind.
                const_cast<httplib::Request&>(req).ranges.clear();
                res.status = -1;
                dispatch(req, res);
                if (res.status == -1) res.status = 200;  // what httplib does after routing
                return httplib::Server::HandlerResponse::Handled;
            }
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            write_detail(res, res.status, status_text(res.status));
            return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                std::rethrow_exception(ep);
            } catch (...) {
                write_current_exception(res);
            }
        });
    s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        if (log::level() > log::Level::kInfo) return;
        auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - t_request_start)
                      .count();
        log::info(req.remote_addr, " \"", req.method, " ", loggable_target(req.target), "\" ",
                  res.status, " ", res.body.size(), "B ", us / 1000, ".", (us % 1000) / 100, "ms");
    });
}

HttpServer::~HttpServer() = default;

void HttpServer::dispatch(const httplib::Request& req, httplib::Response& res) {
    Match m = router_.match(req.method, req.path);
    if (!m.route) {
        if (m.path_known) {
            res.set_header("Allow", join(router_.methods_for(req.path)));
            write_detail(res, 405, "Method Not Allowed");
        } else {
            write_detail(res, 404, "Not Found");
        }
        return;
    }
    Context ctx(req, res, std::move(m.params));
    try {
        m.route->handler(ctx);
    } catch (...) {
        write_current_exception(res);
    }
}

int HttpServer::bind() {
    int port = options_.port;
    if (port == 0) {
        port = http_->bind_to_any_port(options_.host.c_str());
    } else if (!http_->bind_to_port(options_.host.c_str(), port)) {
        port = -1;
    }
    if (port <= 0)
        throw std::runtime_error("cannot listen on " + options_.host + ":" +
                                 std::to_string(options_.port));
    // Calling listen() again on a listening socket only changes its backlog.
    if (listen_fd_ >= 0 && ::listen(listen_fd_, kListenBacklog) != 0)
        log::warn("could not raise the listen backlog: ", std::strerror(errno));
    return port;
}

void HttpServer::run() {
    http_->listen_after_bind();
}

void HttpServer::stop() {
    stopping_ = true;
    http_->stop();
}

bool HttpServer::running() const {
    return http_->is_running();
}

}  // namespace sonique::server
