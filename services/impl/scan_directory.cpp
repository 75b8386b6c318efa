// Directory rules of POST /api/scan (api-contract.md §10).
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "core/strings.hpp"
#include "services/scan.hpp"

namespace sonique::services {
namespace fs = std::filesystem;
namespace {

bool system_dir(const fs::path& p) {
    static const char* kSystem[] = {"/proc", "/sys",   "/dev", "/etc", "/boot",    "/bin", "/sbin",
                                    "/lib",  "/lib64", "/usr", "/run", "/var/lib", "/root"};
    if (normal_path(p) == "/") return true;
    for (const char* s : kSystem)
        if (path_within(p, s, Containment::inclusive)) return true;
    return false;
}

// Within one of the roots, a root itself included. No roots: nothing is inside (every request
// is refused), decided here.
bool within_a_root(const fs::path& p, const std::vector<fs::path>& roots) {
    for (const auto& r : roots)
        if (path_within(p, r, Containment::inclusive)) return true;
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
    // First as written (a request naming a folder outside the roots is refused before the file
    // system is looked at), then resolved (a link inside a root must not lead out of them).
    std::vector<fs::path> lexical_roots, real_roots;
    for (const auto& r : roots) {
        lexical_roots.push_back(normal_path(r));
        std::error_code rec;
        fs::path real_root = fs::canonical(r, rec);
        if (!rec) real_roots.push_back(real_root);  // a missing root holds nothing
    }
    if (!within_a_root(p, lexical_roots) || system_dir(p)) throw refused(shown);
    std::error_code ec;
    if (!fs::exists(p, ec) || !fs::is_directory(p, ec))
        throw bad_request("Le répertoire " + shown + " n'est pas accessible");
    fs::path real = fs::canonical(p, ec);
    if (ec || !within_a_root(real, real_roots) || system_dir(real)) throw refused(shown);
    if (::access(p.c_str(), R_OK | X_OK) != 0)
        throw bad_request("Accès refusé au répertoire " + shown);
    return shown;
}

}  // namespace sonique::services
