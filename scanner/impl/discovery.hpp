#pragma once
// Discovery: the recursive walk of the library roots. No database access.
//
// The unmounted-library guard. A library root that is missing, unreadable or without a single
// audio file while the database holds tracks under it is taken for a disk that is not mounted
// (a NAS at /music), not for a library whose files were all deleted: nothing under it is
// removed, and one scan error for the root says why. No database access.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "scanner/track_info.hpp"

namespace sonique::scanner {

struct Discovery {
    std::vector<FileEntry> files;          // audio files, by folder, then name
    std::vector<FileWarning> problems;     // folders that could not be read, symlink loops...
    std::vector<std::string> failed_dirs;  // their tracks must not be taken for deleted
    // Folders with no entry at all, the starting one included: what a mount point looks like
    // while its disk is not mounted.
    std::vector<std::string> empty_dirs;
};

// True for names the walk skips: hidden files and folders, "._*" resource forks, NAS
// snapshot and trash folders.
bool skipped_name(const std::string& name);
// True when the file name has an extension TagLib reads (case-insensitive).
bool is_audio_name(const std::string& name);
// Whether the walk follows a link to target (canonical; is_dir: a folder) under the canonical
// roots `within`: only inside them, and only to what the walk of its root does not reach by its
// own path (no hidden or trash folder on the way).
bool follows_link_to(const std::string& target, bool is_dir,
                     const std::vector<std::string>& within);

// Walks dir recursively, following symlinks that stay inside `within` (canonical roots) and
// never entering a folder twice. A link to what a walk of its root reaches by its own path (no
// hidden or trash folder on the way) is not followed: each file is found under one path. Never
// throws for file system problems: they are recorded. Stops between folders when *cancel (if given)
// becomes true: the result is then incomplete.
Discovery discover(const std::string& dir, const std::vector<std::string>& within,
                   const std::atomic<bool>* cancel = nullptr);

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
