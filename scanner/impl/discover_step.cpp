#include "discover_step.hpp"

#include <optional>
#include <unordered_set>

#include "core/log.hpp"
#include "discovery.hpp"
#include "root_guard.hpp"

namespace sonique::scanner {

Discovered discover_step(const ScanRequest& req, LibraryState& state, FailedFiles& failures,
                         ScanSummary& summary, const std::atomic<bool>& cancel) {
    Discovered out;
    std::optional<std::unordered_set<std::string>> mounts;  // read when first needed
    for (const auto& dir : req.directories) {
        if (cancel.load()) break;
        Discovery d = discover(dir, req.roots, &cancel);
        if (is_library_root(dir, req.library_roots) &&
            guard_empty_root(dir, state.tracks_under(dir), d))
            log::warn("scan: library root ", dir, " is missing or empty; its ",
                      state.tracks_under(dir), " tracks are kept (not mounted?)");
        if (!d.empty_dirs.empty() && state.size() > 0) {
            if (!mounts) mounts = mount_points(req.mount_tables);
            auto below = [&](const std::string& f) { return state.tracks_below(f); };
            if (guard_empty_mount_points(*mounts, below, d))
                log::warn("scan: empty mount points under ", dir,
                          " hold tracks in the library; they are kept (not mounted?)");
        }
        summary.found += static_cast<int64_t>(d.files.size());
        for (auto& f : d.files) {
            // unchanged() also marks the file as seen: keep it first.
            if (state.unchanged(f) && !req.reread) {
                ++summary.unchanged;
            } else if (auto reason = req.reread ? std::nullopt : failures.unchanged(f)) {
                ++summary.failed_unchanged;
                out.problems.push_back(
                    {f.path, *reason + " (failed before and unchanged since: not read again)"});
            } else {
                out.to_read.push_back(std::move(f));
            }
        }
        out.problems.insert(out.problems.end(), d.problems.begin(), d.problems.end());
        out.failed_dirs.insert(out.failed_dirs.end(), d.failed_dirs.begin(), d.failed_dirs.end());
    }
    return out;
}

}  // namespace sonique::scanner
