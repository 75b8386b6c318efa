#pragma once
// The request context handed to route handlers, with parsing and validation helpers.
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace sonique::server {

struct Page {
    int64_t skip = 0;
    int64_t limit = 100;
};

class Context {
  public:
    Context(const httplib::Request& req, httplib::Response& res,
            std::vector<std::pair<std::string, std::string>> path_params)
        : req(req), res(res), path_params_(std::move(path_params)) {}

    const httplib::Request& req;
    httplib::Response& res;

    // A path parameter by name ("{id}" in the route). Throws std::out_of_range for a typo.
    const std::string& path(const std::string& name) const;
    // A path parameter that must be an integer id: 422 otherwise (loc ["path", name]).
    int64_t path_id(const std::string& name) const;
    std::optional<std::string> query(const std::string& name) const;
    std::vector<std::string> query_all(const std::string& name) const;
    // An integer query parameter within [lo, hi]; 422 otherwise.
    std::optional<int64_t> query_int(const std::string& name, int64_t lo, int64_t hi) const;
    std::optional<bool> query_bool(const std::string& name) const;
    // skip >= 0 (default 0), limit 1..max_limit (default default_limit), 422 otherwise.
    Page page(int64_t default_limit = 100, int64_t max_limit = 1000) const;
    // The body parsed as JSON: 422 when it is empty, not JSON or not valid UTF-8.
    Json body() const;
    // The body parsed as JSON, or an empty object when there is no body.
    Json body_or_empty() const;

    void json(int status, const Json& value);
    // A JSON answer with an ETag; answers 304 when If-None-Match matches.
    void json_etag(const std::string& serialised);
    void no_content();

  private:
    std::vector<std::pair<std::string, std::string>> path_params_;
};

// A strong ETag for some bytes: "\"<16 hex digits>\"".
std::string make_etag(std::string_view bytes);
// True when the request's If-None-Match names etag (or *).
bool etag_matches(const httplib::Request& req, const std::string& etag);

}  // namespace sonique::server
