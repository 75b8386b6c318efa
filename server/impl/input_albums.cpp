// Bodies of the album routes.
#include "core/strings.hpp"
#include "input_catalog.hpp"

namespace sonique::server {

services::AlbumInput read_album(const Json& body, const Loc& loc, bool create) {
    Fields f(body, loc);
    services::AlbumInput in;
    in.title = trimmed_name(f, "title", create);
    in.album_artist_id = f.integer("album_artist_id", create);
    if (!f.is_null("release_year")) {
        const Json& y = f.object()["release_year"];
        if (!y.is_string() && !y.is_number()) {
            f.add_issue("release_year", "Input should be a valid string or integer", "string_type");
        }
        in.release_year = services::normalize_release_year(y);
    }
    in.has_release_year = f.has("release_year");
    in.musicbrainz_albumid = f.text("musicbrainz_albumid");
    in.has_mbid = f.has("musicbrainz_albumid");
    f.check();
    return in;
}

std::vector<services::AlbumInput> read_album_batch(const Json& body) {
    return read_batch(body,
                      [](const Json& item, const Loc& loc) { return read_album(item, loc, true); });
}

}  // namespace sonique::server
