#pragma once
// Validated album input (private to the albums service).
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "services/shapes_input.hpp"

namespace sonique::services {

struct AlbumInput {
    std::optional<std::string> title;
    std::optional<int64_t> album_artist_id;
    std::optional<std::string> release_year;  // normalised "YYYY"
    std::optional<std::string> musicbrainz_albumid;
    bool has_release_year = false, has_mbid = false;
};

// create: title and album_artist_id are required. Throws ValidationError.
AlbumInput read_album(const Json& body, const Loc& loc, bool create);
// {title, artist_id, year, mbid} for the batch SQL.
Json album_input_json(const AlbumInput& in);

}  // namespace sonique::services
