#pragma once
// What the database already holds under the scanned folders, read before the files are:
// - LibraryState, the tracks: decides which files are unchanged (size + mtime), which
//   disappeared, and which new files are moves of disappeared tracks;
// - FailedFiles, the files the tag reader failed on, remembered in scan_failures with their size
//   and mtime: an unchanged one is not read again (a file that hangs the reader would cost the
//   read timeout on every scan), except that a read that timed out is tried once more (the
//   machine may only have been busy); a changed one is read again; a failure is forgotten when
//   its file is read successfully or disappears.
// Writer thread only.
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "db/connection.hpp"
#include "scanner/track_info.hpp"

namespace sonique::scanner {

class LibraryState {
  public:
    struct Known {
        int64_t id;
        int64_t size;
        double mtime;
        std::optional<double> lyrics_mtime;
        bool seen = false;
    };

    // Loads the tracks under each directory. Throws DbError.
    void load(db::Connection& conn, const std::vector<std::string>& directories);
    // Marks file as seen; true when it is known with the same size and mtime.
    bool unchanged(const FileEntry& file);
    // True when a track with this path exists.
    bool known(const std::string& path) const { return tracks_.count(path) > 0; }
    // The ids of tracks whose files were not seen, except under failed folders.
    std::vector<int64_t> disappeared(const std::vector<std::string>& failed_dirs) const;
    // Loads details of the disappeared tracks to recognise moved files. Throws DbError.
    void prepare_moves(db::Connection& conn, const std::vector<int64_t>& gone);
    // A disappeared track this new file is a move of (matched by MusicBrainz track id, else by
    // size, duration and title); each is matched once.
    std::optional<int64_t> take_move(const TrackInfo& t);
    size_t size() const { return tracks_.size(); }
    // How many tracks load() found under directory (one of those it was given).
    int64_t tracks_under(const std::string& directory) const {
        auto it = loaded_.find(directory);
        return it == loaded_.end() ? 0 : it->second;
    }
    // How many tracks load() found anywhere below dir (no trailing slash).
    int64_t tracks_below(const std::string& dir);
    // True when the database held a track directly in this folder ("/" terminated) at load.
    bool known_dir(const std::string& dir) const { return dirs_.count(dir) > 0; }

  private:
    struct Gone {
        int64_t id;
        std::optional<int> duration;
        std::string title;   // lower case
        bool named = false;  // the title is the file name's (no title tag)
        bool taken = false;
    };
    std::unordered_map<std::string, Known> tracks_;
    std::unordered_set<std::string> dirs_;
    std::vector<std::string> sorted_paths_;            // built on the first tracks_below()
    std::unordered_map<std::string, int64_t> loaded_;  // directory -> tracks under it
    std::unordered_map<std::string, size_t> by_mbid_;
    std::multimap<int64_t, size_t> by_size_;
    std::vector<Gone> gone_;
};

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
