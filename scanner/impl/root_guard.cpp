#include "root_guard.hpp"

#include <algorithm>
#include <filesystem>

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

// Lexical form without a trailing slash, so that "/music/" and "/music" compare equal.
fs::path normal(const std::string& p) {
    fs::path n = fs::path(p).lexically_normal();
    if (!n.has_filename() && n != n.root_path()) n = n.parent_path();
    return n;
}

bool strictly_inside(const fs::path& p, const fs::path& root) {
    auto rel = p.lexically_relative(root);
    return !rel.empty() && rel != "." && *rel.begin() != "..";
}

}  // namespace

bool is_library_root(const std::string& dir, const std::vector<std::string>& library_roots) {
    fs::path d = normal(dir);
    std::error_code ec;
    fs::path real = fs::canonical(d, ec);
    for (const auto& r : library_roots) {
        fs::path root = normal(r);
        if (strictly_inside(d, root)) return false;
        std::error_code rec;
        fs::path real_root = fs::canonical(root, rec);
        if (!ec && !rec && strictly_inside(real, real_root)) return false;
    }
    return true;
}

bool guard_empty_root(const std::string& root, int64_t known_tracks, Discovery& found) {
    if (!found.files.empty() || known_tracks <= 0) return false;
    std::string detail = "no audio file found";
    auto own = std::find_if(found.problems.begin(), found.problems.end(),
                            [&](const FileWarning& w) { return w.path == root; });
    if (own != found.problems.end()) detail = own->reason;
    std::erase_if(found.problems, [&](const FileWarning& w) { return w.path == root; });
    found.problems.push_back({root, "library root is missing or empty; nothing was removed (" +
                                        detail + ", " + std::to_string(known_tracks) +
                                        " tracks kept)"});
    if (std::find(found.failed_dirs.begin(), found.failed_dirs.end(), root) ==
        found.failed_dirs.end())
        found.failed_dirs.push_back(root);
    return true;
}

}  // namespace sonique::scanner
