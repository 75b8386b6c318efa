#pragma once
// The request bodies of the catalog routes (api-contract.md §4-§7) read into the services' typed
// inputs. Every function throws ValidationError (422, loc under "body") listing the problems it
// found; none touches the database. Any thread. Private to server/.
#include <string>
#include <vector>

#include "core/json.hpp"
#include "input.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/audio_features.hpp"
#include "services/tracks.hpp"

namespace sonique::server {

// POST /api/artists (create: name required) and PUT /api/artists/{id}.
services::ArtistInput read_artist(const Json& body, bool create);
// POST /api/artists/batch: a list of {name, musicbrainz_artistid?}.
std::vector<services::ArtistInput> read_artist_batch(const Json& body);
// POST /api/artists/{id}/similar: {similar_artist_id, weight, source?}.
services::SimilarArtistInput read_similar_artist(const Json& body);
// POST /api/artists/{id}/similar: [{name, weight, source?}].
std::vector<services::SimilarByNameInput> read_similar_by_name(const Json& body);
// PUT /api/artists/{id}/lastfm-info: any JSON object without NUL characters.
services::LastfmInfo read_lastfm_info(const Json& body);
// {"name": ...} of genres and tags: trimmed, non-empty.
std::string read_name(const Json& body);

// An album at loc (create: title and album_artist_id required).
services::AlbumInput read_album(const Json& body, const Loc& loc, bool create);
std::vector<services::AlbumInput> read_album_batch(const Json& body);

// TrackCreate (create: title, path, track_artist_id required) or TrackUpdate at loc. Unknown
// keys are ignored; null for a non-nullable field means "unchanged".
services::TrackInput read_track(const Json& body, const Loc& loc, bool create);
std::vector<services::TrackInput> read_track_batch(const Json& body);
// PUT /api/tracks/{id}/tags: only genre_tags / mood_tags, null as absent.
services::TrackInput read_track_tags(const Json& body);
// POST and PUT /api/tracks/{id}/audio-features.
services::AudioFeaturesInput read_audio_features(const Json& body);

}  // namespace sonique::server
