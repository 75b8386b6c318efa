// Directory rules of POST /api/scan (api.md §10).
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/strings.hpp"
#include "services/scan.hpp"

namespace sonique::services {
namespace fs = std::filesystem;
namespace {

bool under(const fs::path& p, const fs::path& root) {
    auto rel = p.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
}

bool system_dir(const fs::path& p) {
    static const char* kSystem[] = {"/proc", "/sys",   "/dev", "/etc", "/boot",    "/bin", "/sbin",
                                    "/lib",  "/lib64", "/usr", "/run", "/var/lib", "/root"};
    if (p == "/") return true;
    for (const char* s : kSystem)
        if (p == s || under(p, s)) return true;
    return false;
}

Error refused(const std::string& dir) {
    return bad_request("Le répertoire " + dir + " n'est pas dans la bibliothèque musicale");
}

}  // namespace

std::string ScanService::resolve_directory(const std::optional<std::string>& directory) const {
    const auto& roots = ctx_.config.music_roots;
    fs::path base = roots.empty() ? fs::path("/music") : fs::path(roots.front());
    fs::path p = directory && !trim(*directory).empty() ? fs::path(*directory) : base;
    if (p.is_relative()) p = base / p;
    p = p.lexically_normal();
    if (p.has_filename() == false && p != "/") p = p.parent_path();
    std::string shown = p.string();
    bool inside = false;
    for (const auto& r : roots)
        inside |= under(p, fs::path(r).lexically_normal()) || p == fs::path(r).lexically_normal();
    if (!inside || system_dir(p)) throw refused(shown);
    std::error_code ec;
    if (!fs::exists(p, ec) || !fs::is_directory(p, ec))
        throw bad_request("Le répertoire " + shown + " n'est pas accessible");
    fs::path real = fs::canonical(p, ec);
    bool real_inside = false;
    for (const auto& r : roots) {
        fs::path rr = fs::canonical(r, ec);
        if (!ec) real_inside |= real == rr || under(real, rr);
    }
    if (!real_inside || system_dir(real)) throw refused(shown);
    if (::access(p.c_str(), R_OK | X_OK) != 0)
        throw bad_request("Accès refusé au répertoire " + shown);
    return shown;
}

}  // namespace sonique::services
