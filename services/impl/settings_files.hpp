#pragma once
// The settings a scan reads (api-contract.md §12): which images in a folder are an album's cover or
// an artist's picture, and how artist and genre tags are split. Private to services: it takes the
// database pool.
#include <optional>
#include <string>
#include <vector>

#include "db/pool.hpp"

namespace sonique::services {

struct ScanSettings {
    // File names, in order of preference, of an album's cover image in its folder: the stored
    // setting when it is a JSON array of strings, else ["cover.jpg", "folder.jpg"].
    std::vector<std::string> album_cover_files;
    // Same for an artist's image: default ["folder.jpg", "fanart.jpg", "artist.jpg", ...].
    std::vector<std::string> artist_image_files;
    // The stored artist_separators and artist_split_exceptions when they are JSON arrays of
    // strings (possibly empty), else nullopt (logged): the scanner's defaults apply.
    std::optional<std::vector<std::string>> artist_separators, artist_split_exceptions;
};

// The four settings of a scan, in one query. Never writes. Throws db::DbError. Any thread
// (takes a pooled connection).
ScanSettings scan_settings(db::Pool& pool);

}  // namespace sonique::services
