#include "core/paths.hpp"

#include <string>

namespace sonique {
namespace fs = std::filesystem;

fs::path normal_path(const fs::path& path) {
    std::string p = path.lexically_normal().native();
    // lexically_normal keeps one trailing separator ("/music/"); the root "/" keeps its own.
    while (p.size() > 1 && p.back() == '/')
        p.pop_back();
    return fs::path(std::move(p));
}

fs::path resolve_path(const fs::path& path) {
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(path, ec);
    return normal_path(ec ? path : resolved);
}

bool path_within(const fs::path& path, const fs::path& root, Containment mode) {
    if (path.is_absolute() != root.is_absolute()) return false;
    const std::string p = normal_path(path).native();
    const std::string r = normal_path(root).native();
    if (p.empty() || r.empty()) return false;
    // A relative path that still climbs after normalisation ("../x") is outside any root.
    auto climbs = [](const std::string& s) { return s == ".." || s.starts_with("../"); };
    if (climbs(p) || climbs(r)) return false;
    if (p == r) return mode == Containment::inclusive;
    if (r == "/") return p.front() == '/';     // every other absolute path is below "/"
    if (r == ".") return !p.starts_with("/");  // a relative root "." holds the relative rest
    return p.size() > r.size() && p.starts_with(r) && p[r.size()] == '/';
}

}  // namespace sonique
