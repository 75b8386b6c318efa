#pragma once
// Files the tag reader failed on, remembered in scan_failures with their size and mtime: an
// unchanged one is not read again (a file that hangs the reader would cost the read timeout on
// every scan), except that a read that timed out is tried once more (the machine may only have
// been busy); a changed one is read again; a failure is forgotten when its file is read
// successfully or disappears. Writer thread only.
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "db/connection.hpp"
#include "scanner/track_info.hpp"

namespace sonique::scanner {

class FailedFiles {
  public:
    // Loads the failures remembered under each directory. Throws DbError.
    void load(db::Connection& conn, const std::vector<std::string>& directories);
    // Marks file as seen; returns the reason it failed when it failed before with the same size
    // and mtime (then it is not read again).
    std::optional<std::string> unchanged(const FileEntry& file);
    // Paths of remembered failures whose files were not seen by discovery, except under
    // failed_dirs (folders that could not be read).
    std::vector<std::string> vanished(const std::vector<std::string>& failed_dirs) const;

    // Records the outcome of a file that was read, for the next write().
    void read(const FileEntry& file, const ReadOutcome& outcome);
    // Writes what read() recorded inside the caller's transaction, then forgets it. Throws
    // DbError.
    void write(db::Connection& conn);
    // Deletes the failures of these paths. Throws DbError.
    static void forget(db::Connection& conn, const std::vector<std::string>& paths);

  private:
    struct Known {
        int64_t size;
        double mtime;
        std::string reason;
        int attempts;  // scans in a row that failed on this size and mtime
        bool seen = false;
        bool same_file(const FileEntry& f) const {
            return size == f.size && std::fabs(mtime - f.mtime) < 1e-3;
        }
    };
    struct Failure {
        FileEntry file;
        std::string reason;
        int attempts;
    };
    std::unordered_map<std::string, Known> known_;
    std::vector<Failure> failed_;      // to remember (insert or update)
    std::vector<std::string> healed_;  // read successfully: to forget
};

}  // namespace sonique::scanner
