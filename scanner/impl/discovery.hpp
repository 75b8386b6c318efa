#pragma once
// Discovery: the recursive walk of the library roots. No database access.
#include <atomic>
#include <string>
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

}  // namespace sonique::scanner
