#include "root_guard.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/paths.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

// fstab's escapes: "\040" is a space.
std::string decode_octal(const std::string& s) {
    auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '7'; };
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && digit(i + 1) && digit(i + 2) && digit(i + 3)) {
            out +=
                static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            i += 3;
        } else {
            out += s[i];
        }
    }
    return out;
}

}  // namespace

bool is_library_root(const std::string& dir, const std::vector<std::string>& library_roots) {
    fs::path d = normal_path(dir);
    std::error_code ec;
    fs::path real = fs::canonical(d, ec);
    for (const auto& r : library_roots) {
        fs::path root = normal_path(r);
        if (path_within(d, root, Containment::strict)) return false;
        std::error_code rec;
        fs::path real_root = fs::canonical(root, rec);
        if (!ec && !rec && path_within(real, real_root, Containment::strict)) return false;
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

std::unordered_set<std::string> mount_points(const std::vector<std::string>& tables) {
    std::unordered_set<std::string> out;
    for (const auto& table : tables) {
        std::ifstream in(table);
        std::string line;
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string device, target;
            if (!(fields >> device >> target) || device[0] == '#') continue;
            out.insert(normal_path(decode_octal(target)).string());
        }
    }
    return out;
}

int guard_empty_mount_points(const std::unordered_set<std::string>& mount_points,
                             const std::function<int64_t(const std::string&)>& tracks_under,
                             Discovery& found) {
    int guarded = 0;
    for (const auto& dir : found.empty_dirs) {
        if (std::find(found.failed_dirs.begin(), found.failed_dirs.end(), dir) !=
            found.failed_dirs.end())
            continue;  // an empty library root, guarded already
        std::error_code ec;
        fs::path real = fs::canonical(dir, ec);
        if (!mount_points.contains(normal_path(dir).string()) &&
            (ec || !mount_points.contains(real.string())))
            continue;
        int64_t kept = tracks_under(dir);
        if (kept <= 0) continue;
        found.problems.push_back({dir, "mount point is empty; nothing under it was removed (" +
                                           std::to_string(kept) +
                                           " tracks kept: a disk that is not mounted?)"});
        found.failed_dirs.push_back(dir);
        ++guarded;
    }
    return guarded;
}

}  // namespace sonique::scanner
