#pragma once
// Steps "discover" and "skip unchanged" of the pipeline: walks the requested directories,
// guards library roots that look unmounted, and keeps only the files that must be read.
// Writer thread only.
#include <atomic>
#include <string>
#include <vector>

#include "failed_files.hpp"
#include "library_state.hpp"
#include "scanner/scanner.hpp"

namespace sonique::scanner {

struct Discovered {
    std::vector<FileEntry> to_read;        // new or changed files, in path order per directory
    std::vector<FileWarning> problems;     // scan errors found on the way
    std::vector<std::string> failed_dirs;  // nothing under them is taken for deleted
};

// Fills summary.found, .unchanged and .failed_unchanged. Unchanged files that failed before
// are not read again: they become problems with their remembered reason. Never throws for file
// system problems; stops early when cancel is set (the result is then incomplete).
Discovered discover_step(const ScanRequest& req, LibraryState& state, FailedFiles& failures,
                         ScanSummary& summary, const std::atomic<bool>& cancel);

}  // namespace sonique::scanner
