#pragma once
// The unmounted-library guard. A library root that is missing, unreadable or without a single
// audio file while the database holds tracks under it is taken for a disk that is not mounted
// (a NAS at /music), not for a library whose files were all deleted: nothing under it is
// removed, and one scan error for the root says why. No database access.
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "discovery.hpp"

namespace sonique::scanner {

// True when dir is one of library_roots or lies outside all of them (a folder scanned on its
// own is its own root). A folder inside a root is not one: emptying it is a real deletion.
bool is_library_root(const std::string& dir, const std::vector<std::string>& library_roots);

// When the discovery of root found no audio file and known_tracks > 0: marks root as failed
// (so its tracks are not taken for deleted), replaces the problems recorded for root itself by
// one scan error and returns true. Otherwise leaves found alone and returns false.
bool guard_empty_root(const std::string& root, int64_t known_tracks, Discovery& found);

// The mount points named by mount tables in fstab format (/etc/fstab, /proc/self/mounts), with
// their octal escapes ("\040" for a space) decoded. Unreadable tables are skipped.
std::unordered_set<std::string> mount_points(const std::vector<std::string>& tables);

// The same guard for a folder inside a root (a NAS mounted at /music/nas): for each of
// found.empty_dirs that is one of mount_points (as given or resolved) and under which
// tracks_under(dir) > 0, marks it as failed and records one scan error. Returns how many
// folders were guarded.
int guard_empty_mount_points(const std::unordered_set<std::string>& mount_points,
                             const std::function<int64_t(const std::string&)>& tracks_under,
                             Discovery& found);

}  // namespace sonique::scanner
