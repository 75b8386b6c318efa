#pragma once
// The analysis run's SQL: its lock, the tracks still to analyse, and the results stored in one
// statement per batch. One connection, one thread.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/features.hpp"
#include "db/connection.hpp"

namespace sonique::analysis::store {

struct PendingTrack {
    int64_t id = 0;
    std::string path;
    std::optional<double> file_mtime;
    std::optional<int64_t> file_size;
};

struct Result {
    PendingTrack track;
    std::optional<TrackFeatures> features;  // set on success
    std::string error;                      // the reason otherwise
};

// Takes the analysis lock (session-level) without waiting; false when another run holds it.
bool try_lock(db::Connection& conn);

// What a run must do: `full` takes every track in the roots; otherwise only those without a
// current row (of this analyser version, computed from the file as it is now) and without a
// current failure. roots: absolute folders without a trailing slash; empty means all.
int64_t count_pending(db::Connection& conn, bool full, const std::vector<std::string>& roots);
// The next `limit` of them with an id above `after`, in id order.
std::vector<PendingTrack> next_pending(db::Connection& conn, bool full,
                                       const std::vector<std::string>& roots, int64_t after,
                                       int limit);

// Stores a batch of results in one statement: features replace the track's row and clear its
// failure; errors replace its failure row. Tracks deleted meanwhile are skipped.
// The values the analysis offers (analysed_values.hpp) are stored with the features.
void save(db::Connection& conn, const std::vector<Result>& results);

// Recomputes the analysed album values (loudness, ReplayGain gain and peak) of the albums of
// track_ids, or of every album when null (tracks removed or moved since). One statement;
// returns how many album rows changed. Throws db::DbError.
int64_t refresh_albums(db::Connection& conn, const std::vector<int64_t>* track_ids);

}  // namespace sonique::analysis::store
