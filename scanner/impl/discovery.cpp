#include "discovery.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/paths.hpp"
#include "core/strings.hpp"
#include "scanner/tag_reader.hpp"

namespace sonique::scanner {
namespace {

std::string extension_of(const std::string& name) {
    auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0) return {};
    return to_lower(name.substr(dot + 1));
}

std::string stem_of(const std::string& name) {
    auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(0, dot);
}

// Within one of the canonical roots `within` (a root itself included). No roots at all means an
// unconfined walk (a caller that gives none, as some tests do): everything is inside. Decided
// here, not by path_within.
bool inside(const std::string& path, const std::vector<std::string>& roots) {
    if (roots.empty()) return true;
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& r) {
        return path_within(path, r, Containment::inclusive);
    });
}

// Microseconds: what a double keeps exactly, and what the database compares.
double mtime_of(const struct stat& st) {
    return static_cast<double>(st.st_mtim.tv_sec) +
           static_cast<double>(st.st_mtim.tv_nsec / 1000) / 1e6;
}

// Lyrics files of a folder by name, with their mtime.
using Sidecars = std::unordered_map<std::string, double>;

std::string canonical(const std::string& path) {
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

// True when the walk of a root records target (canonical) by its own path: it lies in a root,
// with no skipped name and no name that is not UTF-8 on the way, and a file has an audio
// extension (a link "song.mp3" to a file without one is followed).
bool walked_anyway(const std::string& target, bool is_dir, const std::vector<std::string>& within) {
    if (!is_valid_utf8(target)) return false;
    if (!is_dir && !is_audio_name(target.substr(target.rfind('/') + 1))) return false;
    for (const auto& r : within) {
        if (!path_within(target, r, Containment::inclusive)) continue;
        // Below the root: a skipped name on the way hides it from the walk.
        std::filesystem::path rest =
            std::filesystem::path(target).lexically_relative(normal_path(r));
        for (const auto& name : rest)
            if (name != "." && skipped_name(name.string())) return false;
        return true;
    }
    return false;
}

class Walker {
  public:
    Walker(Discovery& out, const std::vector<std::string>& within, const std::atomic<bool>* cancel)
        : out_(out), within_(within), cancel_(cancel) {}

    void walk(const std::string& root) {
        std::vector<std::string> stack{root};
        while (!stack.empty() && !(cancel_ && cancel_->load())) {
            std::string dir = std::move(stack.back());
            stack.pop_back();
            list_dir(dir, stack);
        }
    }

  private:
    void problem(const std::string& path, const std::string& reason, bool dir_failed) {
        out_.problems.push_back({path, reason});
        if (dir_failed) out_.failed_dirs.push_back(path);
    }

    bool enter(const struct stat& st) {
        if (!visited_.insert({st.st_dev, st.st_ino}).second) return false;  // loop or duplicate
        return true;
    }

    void list_dir(const std::string& dir, std::vector<std::string>& stack) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0 || !enter(st)) return;
        std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
        if (!d) {
            problem(dir, std::string("cannot read folder: ") + std::strerror(errno), true);
            return;
        }
        std::vector<std::string> names;
        bool empty = true;
        while (dirent* e = ::readdir(d.get())) {
            std::string name = e->d_name;
            if (name == "." || name == "..") continue;
            empty = false;
            if (skipped_name(name)) continue;
            // The database holds paths as UTF-8 text: a name in another encoding (Latin-1 from
            // an old NAS, say) costs only its file or folder, recorded under a readable path.
            if (!is_valid_utf8(name)) {
                problem(sanitize_utf8(dir + "/" + name), "name is not valid UTF-8; skipped", false);
                continue;
            }
            names.push_back(std::move(name));
        }
        if (empty) out_.empty_dirs.push_back(dir);
        int fd = ::dirfd(d.get());
        Sidecars sidecars;
        for (const auto& n : names) {
            std::string ext = extension_of(n);
            if (ext != "lrc" && ext != "txt") continue;
            if (auto mtime = readable_sidecar(dir, fd, n)) sidecars.emplace(n, *mtime);
        }
        for (const auto& name : names)
            visit(dir, fd, name, sidecars, stack);
    }

    // A lyrics file is read only if it is a regular file inside the roots: a FIFO named
    // "song.lrc" would block a tag reader until its timeout. Returns its mtime.
    std::optional<double> readable_sidecar(const std::string& dir, int fd,
                                           const std::string& name) const {
        struct stat lst {
        }, st{};
        if (::fstatat(fd, name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
        if (S_ISLNK(lst.st_mode)) {
            std::string target = canonical(dir + "/" + name);
            if (target.empty() || !inside(target, within_)) return std::nullopt;
        }
        if (::fstatat(fd, name.c_str(), &st, 0) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
        return mtime_of(st);
    }

    void visit(const std::string& dir, int fd, const std::string& name, const Sidecars& sidecars,
               std::vector<std::string>& stack) {
        std::string path = dir + "/" + name;
        struct stat lst {
        }, st{};
        if (::fstatat(fd, name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) != 0) return;
        if (S_ISLNK(lst.st_mode)) {
            if (::fstatat(fd, name.c_str(), &st, 0) != 0) return;  // dangling link
            std::string target = canonical(path);
            if (target.empty() || !follows_link_to(target, S_ISDIR(st.st_mode), within_)) return;
        } else {
            st = lst;
        }
        if (S_ISDIR(st.st_mode)) {
            stack.push_back(std::move(path));
        } else if (S_ISREG(st.st_mode) && is_audio_name(name)) {
            FileEntry e;
            e.path = std::move(path);
            e.size = static_cast<int64_t>(st.st_size);
            e.mtime = mtime_of(st);
            std::string stem = stem_of(name);
            for (const char* ext : {".lrc", ".txt"}) {
                auto it = sidecars.find(stem + ext);
                if (it == sidecars.end()) continue;
                e.sidecar = dir + "/" + it->first;
                e.sidecar_mtime = it->second;
                break;
            }
            out_.files.push_back(std::move(e));
        }
    }

    Discovery& out_;
    const std::vector<std::string>& within_;
    const std::atomic<bool>* cancel_;
    std::set<std::pair<dev_t, ino_t>> visited_;
};

}  // namespace

bool skipped_name(const std::string& name) {
    if (name.empty() || name[0] == '.') return true;  // hidden, "._*" forks, .snapshot, .Trash
    static const std::vector<std::string> kSkipped{
        "@eadir",    "#recycle",           "#snapshot",  "$recycle.bin",
        "@recycle",  "@recently-snapshot", "lost+found", "system volume information",
        "@sharebin", "#recycle.bin"};
    std::string low = to_lower(name);
    return std::find(kSkipped.begin(), kSkipped.end(), low) != kSkipped.end();
}

bool follows_link_to(const std::string& target, bool is_dir,
                     const std::vector<std::string>& within) {
    // Never outside the roots; and what the walk of its root reaches by its own path would be,
    // through the link, a second copy (or, in a folder's scan, a "move" to the link's path).
    return inside(target, within) && !walked_anyway(target, is_dir, within);
}

bool is_audio_name(const std::string& name) {
    std::string ext = extension_of(name);
    if (ext.empty()) return false;
    const auto& all = audio_extensions();
    return std::find(all.begin(), all.end(), ext) != all.end();
}

Discovery discover(const std::string& dir, const std::vector<std::string>& within,
                   const std::atomic<bool>* cancel) {
    Discovery out;
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        out.problems.push_back({dir, "library folder is missing or not a folder"});
        out.failed_dirs.push_back(dir);
        return out;
    }
    Walker(out, within, cancel).walk(dir);
    // By folder, then name: a folder's files stay together even when a subfolder's name sorts
    // between them, so that one reader gets them all (and decodes their cover once).
    std::sort(out.files.begin(), out.files.end(), [](const FileEntry& a, const FileEntry& b) {
        std::string_view x(a.path), y(b.path);
        size_t i = x.rfind('/'), j = y.rfind('/');
        int folders = x.substr(0, i).compare(y.substr(0, j));
        return folders != 0 ? folders < 0 : x.substr(i + 1) < y.substr(j + 1);
    });
    return out;
}

// --- the unmounted-library guard ------------------------------------------------------------

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
