#pragma once
// The request context handed to route handlers: reading the path, query and body (every client
// mistake a 422 or the contract's 404, never a database error) and writing the answer. One per
// request, used only on the thread that serves it.
#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json.hpp"
#include "core/json_text.hpp"

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
    // The one reader of an id in the path (api-contract.md §1: ids are integers), for every route:
    //  - not an integer ("", "abc", "1.5", "+3", "0x1"; blanks around it are ignored): 422,
    //    loc ["path", name], type "int_parsing";
    //  - an integer that no row can have (zero, negative, beyond int64): 404 with
    //    not_found_detail, the route's answer for an unknown id (never a database error);
    //  - else the id.
    // Throws ValidationError or Error(kNotFound); std::out_of_range for a typo in name.
    int64_t path_id(const std::string& name, const std::string& not_found_detail) const;
    // The same rule for routes where an unknown id is not an error (the play queue's removal,
    // a cover's placeholder, the library's empty list): an integer no row can have reads as 0,
    // which names no row either. Throws ValidationError.
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

    // A service's answer, sent as it is (never parsed again).
    void answer(const JsonText& body, int status = 200);
    // A service's answer with an ETag; answers 304 when If-None-Match matches.
    void answer_etag(const JsonText& body);
    // A value the server builds itself (an error, a small status object).
    void json(int status, const Json& value);
    void no_content();

  private:
    std::vector<std::pair<std::string, std::string>> path_params_;
};

// A strong ETag for some bytes: "\"<16 hex digits>\"".
std::string make_etag(std::string_view bytes);
// True when the request's If-None-Match names etag (or *).
bool etag_matches(const httplib::Request& req, const std::string& etag);

}  // namespace sonique::server
