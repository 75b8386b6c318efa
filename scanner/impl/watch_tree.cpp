#include "scanner/watch_tree.hpp"

#include <sys/inotify.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/log.hpp"
#include "core/paths.hpp"
#include "discovery.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;

// "/music/" and "/music" are one root; folder paths below it are built as root + "/" + name.
std::string normal_root(const std::string& root) {
    return normal_path(root).string();
}

bool same_folder(const std::string& a, const std::string& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) && !ec;
}

}  // namespace

WatchTree::WatchTree(int fd, const std::vector<std::string>& roots) : fd_(fd) {
    for (const auto& r : roots) {
        roots_.push_back(normal_root(r));
        std::error_code ec;
        auto c = fs::weakly_canonical(r, ec);
        canonical_roots_.push_back(ec ? roots_.back() : normal_root(c.string()));
    }
    std::set<std::string> ignored;
    watch_roots(ignored);
}

std::optional<std::string> WatchTree::folder(int wd) const {
    auto it = dirs_.find(wd);
    if (it == dirs_.end()) return std::nullopt;
    return it->second;
}

bool WatchTree::apply(int wd, uint32_t mask, std::string_view name, std::set<std::string>& dirty) {
    if (mask & IN_Q_OVERFLOW) {
        // The kernel's queue was full: any folder may have changed, and folders created since
        // are not watched yet. Each root's scan skips what did not change (size and mtime).
        log::warn("watch: inotify queue overflow; the library roots will be scanned");
        watch_roots(dirty);
        dirty.insert(roots_.begin(), roots_.end());
        return true;
    }
    auto it = dirs_.find(wd);
    if (it == dirs_.end()) return false;
    if (mask & IN_IGNORED) {  // the folder was deleted (or unmounted): its watch is gone
        dirs_.erase(it);
        return false;
    }
    if (!name.empty() && skipped_name(std::string(name))) return false;
    std::string dir = it->second;  // a copy: add_tree may rewrite the map
    // A folder moved away: its watches go. Moved within the roots, its IN_MOVED_TO (next in the
    // queue) watches it again at its new path; moved out of them, it is no longer watched.
    if ((mask & IN_ISDIR) && (mask & IN_MOVED_FROM)) unwatch_tree((fs::path(dir) / name).string());
    if ((mask & IN_ISDIR) && (mask & (IN_CREATE | IN_MOVED_TO))) {
        std::set<int> seen;
        add_tree((fs::path(dir) / name).string(), seen, dirty);
    }
    dirty.insert(dir);
    return true;
}

void WatchTree::watch_roots(std::set<std::string>& dirty) {
    std::set<int> seen;
    for (const auto& r : roots_)
        add_tree(r, seen, dirty);
}

// seen: the watches met in this walk, so that a link to an ancestor ends the walk.
void WatchTree::add_tree(const std::string& dir, std::set<int>& seen,
                         std::set<std::string>& dirty) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    int wd = ::inotify_add_watch(fd_, dir.c_str(), kMask | IN_ONLYDIR);
    if (wd < 0) {
        log::warn("watch: cannot watch ", dir, ": ", std::strerror(errno));
        return;
    }
    if (!seen.insert(wd).second) return;  // a link loop
    // inotify gives a folder the same watch whatever the path it is reached by.
    auto it = dirs_.find(wd);
    if (it == dirs_.end()) {
        dirs_[wd] = dir;
    } else if (it->second != dir) {
        if (same_folder(it->second, dir)) return;  // also reached through a link: watched already
        move_subtree(it->second, dir, dirty);      // moved or renamed: the old path is gone
    }
    for (fs::directory_iterator d(dir, ec), end; !ec && d != end; d.increment(ec)) {
        std::string name = d->path().filename().string();
        std::error_code type_ec;
        if (skipped_name(name) || !d->is_directory(type_ec)) continue;
        // Links as discovery follows them: so each folder is watched under the path its files
        // are scanned under, and a folder moved away takes only its own watches with it.
        if (d->is_symlink(type_ec)) {
            auto target = fs::canonical(d->path(), type_ec);
            if (type_ec || !follows_link_to(target.string(), true, canonical_roots_)) continue;
        }
        add_tree(d->path().string(), seen, dirty);
    }
}

// Folder paths are compared as watched (lexically, links not resolved): as discovery names them.
void WatchTree::unwatch_tree(const std::string& dir) {
    for (auto it = dirs_.begin(); it != dirs_.end();) {
        if (!path_within(it->second, dir, Containment::inclusive)) {
            ++it;
            continue;
        }
        ::inotify_rm_watch(fd_, it->first);  // its IN_IGNORED finds no folder: ignored
        it = dirs_.erase(it);
    }
}

// A folder reached at a new path without its move being seen (a queue overflow) keeps its
// watch, and so do its subfolders: their paths change with it.
void WatchTree::move_subtree(std::string from, const std::string& to,
                             std::set<std::string>& dirty) {
    log::info("watch: ", from, " moved to ", to);
    for (auto& [wd, path] : dirs_)
        if (path_within(path, from, Containment::inclusive)) path = to + path.substr(from.size());
    std::set<std::string> renamed;
    for (auto it = dirty.begin(); it != dirty.end();) {
        if (!path_within(*it, from, Containment::inclusive)) {
            ++it;
            continue;
        }
        renamed.insert(to + it->substr(from.size()));
        it = dirty.erase(it);
    }
    dirty.merge(renamed);
}

}  // namespace sonique::scanner
