#pragma once
// One scan per library root at a time, across processes: the root lock, a one-key PostgreSQL
// advisory lock on hashtext(db::lock_keys::kScanRootPrefix + root) held by a scan's own
// connection (so that it goes with it, also when its process is killed). A scan of a subfolder
// and a scan of its root never run together; a CLI folder outside the roots is its own root,
// and also takes the locks of the roots inside it.
#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace sonique::scanner {

class RootLocks {
  public:
    // library_roots: MUSIC_PATH as configured; they are resolved here (links followed), so that
    // a root reached through a link is one root, whatever its spelling.
    explicit RootLocks(const std::vector<std::string>& library_roots);

    // The resolved library root that holds directory (or is it), else directory itself,
    // resolved. Never throws but std::bad_alloc. Any thread.
    std::string root_of(const std::string& directory) const;
    // root_of(directory), then the library roots inside it (a CLI folder that holds roots).
    std::vector<std::string> locked_by(const std::string& directory) const;

    // Takes every lock of locked_by(directory) on conn, or none (true when taken). Throws
    // DbError. The caller's thread, which owns conn.
    bool try_lock(db::Connection& conn, const std::string& directory) const;
    // Polls until the locks are taken (true) or cancel is set (false). Throws DbError.
    bool wait(db::Connection& conn, const std::string& directory,
              const std::atomic<bool>& cancel) const;
    // Releases every advisory lock conn holds (root and session locks). Throws DbError.
    static void release_all(db::Connection& conn);

  private:
    std::vector<std::filesystem::path> roots_;  // resolved
};

}  // namespace sonique::scanner
