#pragma once
// The settings a scan reads (api.md §12): which images in a folder are an album's cover or an
// artist's picture, and how artist and genre tags are split. Private to services: it takes the
// database pool.
#include <optional>
#include <string>
#include <vector>

#include "db/pool.hpp"

namespace sonique::services {

// File names, in order of preference, of an album's cover image in its folder. The stored
// setting when it is a JSON array of strings, else the default ["cover.jpg", "folder.jpg"].
// Never writes. Throws db::DbError. Any thread (takes a pooled connection).
std::vector<std::string> album_cover_files(db::Pool& pool);
// Same for an artist's image: default ["folder.jpg", "fanart.jpg", "artist.jpg", ...].
std::vector<std::string> artist_image_files(db::Pool& pool);
// The stored value of an optional list setting (artist_separators, artist_split_exceptions)
// when it is a JSON array of strings (possibly empty), else nullopt (logged). Never writes.
std::optional<std::vector<std::string>> optional_list(db::Pool& pool, const std::string& key);

}  // namespace sonique::services
