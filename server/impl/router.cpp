#include "server/router.hpp"

#include <algorithm>

namespace sonique::server {
namespace {

// "/api/artists/{id}" -> "^/api/artists/([^/]+)$", names {"id"}.
std::regex compile(const std::string& path, std::vector<std::string>& names) {
    std::string re = "^";
    for (size_t i = 0; i < path.size();) {
        if (path[i] == '{') {
            size_t end = path.find('}', i);
            names.push_back(path.substr(i + 1, end - i - 1));
            re += "([^/]+)";
            i = end + 1;
            continue;
        }
        if (std::string_view(".[]()*+?^$|\\").find(path[i]) != std::string_view::npos) re += '\\';
        re += path[i++];
    }
    return std::regex(re + "$", std::regex::optimize);
}

std::string strip_slash(const std::string& path) {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return p;
}

}  // namespace

void Router::add(std::string method, std::string path, Handler handler) {
    Route r{std::move(method), strip_slash(path), std::move(handler), {}, {}};
    r.pattern = compile(r.path, r.param_names);
    routes_.push_back(std::move(r));
}

Match Router::match(const std::string& method, const std::string& raw_path) const {
    std::string path = strip_slash(raw_path);
    Match best;
    size_t best_params = SIZE_MAX;
    for (const auto& r : routes_) {
        std::smatch m;
        if (!std::regex_match(path, m, r.pattern)) continue;
        best.path_known = true;
        bool method_ok = r.method == method || (method == "HEAD" && r.method == "GET");
        if (!method_ok || r.param_names.size() >= best_params) continue;
        best.route = &r;
        best_params = r.param_names.size();
        best.params.clear();
        for (size_t i = 0; i < r.param_names.size(); ++i)
            best.params.emplace_back(r.param_names[i], m[i + 1].str());
    }
    return best;
}

std::vector<std::string> Router::methods_for(const std::string& raw_path) const {
    std::string path = strip_slash(raw_path);
    std::vector<std::string> out;
    for (const auto& r : routes_) {
        if (std::regex_match(path, r.pattern) &&
            std::find(out.begin(), out.end(), r.method) == out.end())
            out.push_back(r.method);
    }
    return out;
}

}  // namespace sonique::server
