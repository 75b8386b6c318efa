#include "server/router.hpp"

#include <algorithm>

namespace sonique::server {
namespace {

std::string_view strip_slash(std::string_view p) {
    while (p.size() > 1 && p.back() == '/')
        p.remove_suffix(1);
    return p;
}

// "/api/artists/{id}" -> {"api", "artists", "{id}"}; "/" -> {}.
std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    size_t i = path.empty() || path[0] != '/' ? 0 : 1;
    while (i < path.size()) {
        size_t end = path.find('/', i);
        if (end == std::string_view::npos) end = path.size();
        out.push_back(path.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

bool is_param(std::string_view seg) {
    return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}

// Whether segs matches r's segments; parameters match any non-empty segment.
bool matches(const Route& r, const std::vector<std::string_view>& segs) {
    if (r.segments.size() != segs.size()) return false;
    for (size_t i = 0; i < segs.size(); ++i) {
        const auto& want = r.segments[i];
        if (is_param(want) ? segs[i].empty() : want != segs[i]) return false;
    }
    return true;
}

}  // namespace

void Router::add(std::string method, std::string path, Handler handler) {
    Route r{std::move(method), std::string(strip_slash(path)), std::move(handler), {}, {}};
    for (auto seg : split(r.path)) {
        r.segments.emplace_back(seg);
        if (is_param(seg)) r.param_names.emplace_back(seg.substr(1, seg.size() - 2));
    }
    routes_.push_back(std::move(r));
}

Match Router::match(const std::string& method, const std::string& raw_path) const {
    auto segs = split(strip_slash(raw_path));
    Match best;
    size_t best_params = SIZE_MAX;
    for (const auto& r : routes_) {
        if (!matches(r, segs)) continue;
        best.path_known = true;
        bool method_ok = r.method == method || (method == "HEAD" && r.method == "GET");
        if (!method_ok || r.param_names.size() >= best_params) continue;
        best.route = &r;
        best_params = r.param_names.size();
        best.params.clear();
        for (size_t i = 0, p = 0; i < segs.size(); ++i)
            if (is_param(r.segments[i]))
                best.params.emplace_back(r.param_names[p++], std::string(segs[i]));
    }
    return best;
}

std::vector<std::string> Router::methods_for(const std::string& raw_path) const {
    auto segs = split(strip_slash(raw_path));
    std::vector<std::string> out;
    for (const auto& r : routes_)
        if (matches(r, segs) && std::find(out.begin(), out.end(), r.method) == out.end())
            out.push_back(r.method);
    return out;
}

}  // namespace sonique::server
