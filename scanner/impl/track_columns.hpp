#pragma once
// The tracks columns the scanner writes, as unnest() arrays: the upsert's SQL text is built
// once from this table (constant text, values only ever travel as parameters).
#include <cstdint>
#include <string>
#include <vector>

#include "pg_array.hpp"
#include "scanner/track_info.hpp"

namespace sonique::scanner {

struct TrackRefs {
    int64_t artist_id = 0;
    std::optional<int64_t> album_id;
};

// "INSERT INTO tracks (...) SELECT ... FROM unnest($1::text[], ...) ON CONFLICT (path) DO
// UPDATE ... RETURNING id, path, (xmax = 0)" with one parameter per column.
const std::string& track_upsert_sql();
// The column arrays for these tracks, in the order of track_upsert_sql()'s parameters.
std::vector<std::string> track_arrays(const std::vector<const TrackInfo*>& tracks,
                                      const std::vector<TrackRefs>& refs);

}  // namespace sonique::scanner
