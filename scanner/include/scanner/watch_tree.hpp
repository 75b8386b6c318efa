#pragma once
// The folders that `serve --watch` watches: one inotify watch on every folder under the library
// roots, and the folder each watch stands for, kept right as folders are created, moved or
// renamed. Turns inotify events into the folders that need a scan. One thread at a time.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::scanner {

class WatchTree {
  public:
    // Watches every folder under roots (skipped names and link loops excepted) on the inotify
    // instance fd, which stays the caller's. A folder that cannot be watched is logged.
    WatchTree(int fd, const std::vector<std::string>& roots);

    // Applies one inotify event (name: the event's, empty for none) and adds the folders to scan
    // to dirty. Returns whether it did: events on skipped names or unknown watches are ignored.
    // A queue overflow (IN_Q_OVERFLOW: events were lost) asks for every root and watches the
    // folders created meanwhile.
    bool apply(int wd, uint32_t mask, std::string_view name, std::set<std::string>& dirty);

    // The folder a watch stands for.
    std::optional<std::string> folder(int wd) const;
    size_t size() const { return dirs_.size(); }

  private:
    void watch_roots(std::set<std::string>& dirty);
    void add_tree(const std::string& dir, std::set<int>& seen, std::set<std::string>& dirty);
    void move_subtree(std::string from, const std::string& to, std::set<std::string>& dirty);
    void unwatch_tree(const std::string& dir);

    int fd_;
    std::vector<std::string> roots_;
    std::vector<std::string> canonical_roots_;  // for the links' targets
    std::map<int, std::string> dirs_;           // watch descriptor -> folder
};

}  // namespace sonique::scanner
