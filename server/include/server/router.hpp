#pragma once
// The route table. Paths are written as in OpenAPI ("/api/artists/{id}"); a path answers the
// same with and without a trailing slash.
#include <functional>
#include <string>
#include <vector>

#include "server/context.hpp"

namespace sonique::server {

using Handler = std::function<void(Context&)>;

struct Route {
    std::string method;  // GET, POST, PUT, DELETE, PATCH (GET also answers HEAD)
    std::string path;    // OpenAPI form
    Handler handler;
    std::vector<std::string> segments;     // "api", "artists", "{id}"
    std::vector<std::string> param_names;  // in order: "id"
};

struct Match {
    const Route* route = nullptr;  // null: no route for this method
    bool path_known = false;       // some method answers this path (405 rather than 404)
    std::vector<std::pair<std::string, std::string>> params;
};

class Router {
  public:
    // Registers a route. Not thread-safe: register everything before serving.
    void add(std::string method, std::string path, Handler handler);
    // Any thread once serving.
    Match match(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const noexcept { return routes_; }
    // The methods answering path (for Allow and CORS preflight).
    std::vector<std::string> methods_for(const std::string& path) const;

  private:
    std::vector<Route> routes_;
};

}  // namespace sonique::server
