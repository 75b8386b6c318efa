#pragma once
// Tracks (api-contract.md §6). Every answer uses the one Track shape of shapes.hpp (audio features,
// tags, covers and artists included), built by PostgreSQL in one query. Writes invalidate the
// catalog cache before returning. Any thread. Every method may throw db::DbError
// (kUnavailable -> 503) and ValidationError (422) for malformed bodies.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct TrackSearch {
    std::optional<std::string> title, artist, album, genre, year, path, musicbrainz_id;
    std::vector<std::string> genre_tags, mood_tags;  // any of them (empty: no filter)
    int64_t skip = 0, limit = 100;
};

// A track as a client writes it, validated by the HTTP layer (server/impl/input_tracks.cpp) or
// the GraphQL mutations: an object holding only keys of track_fields() and audio_fields() with
// values of the column's kind (null only for nullable columns), plus genre_tags / mood_tags as
// arrays of tag_names() (absent: the links stay as they are). A validated JSON object rather than
// some fifty members: the writes hand it whole to PostgreSQL (jsonb_populate_record), and the one
// table of track_fields.hpp generates both its validation and the SQL.
struct TrackInput {
    Json fields = Json::object();
};

class TrackService {
  public:
    explicit TrackService(ServiceContext& ctx) : ctx_(ctx) {}

    JsonText list(int64_t skip, int64_t limit);  // [Track] by id. Cached.
    JsonText count();                            // {"count": n}. Cached.
    JsonText search(const TrackSearch& query);
    // Required title, path, track_artist_id. conflict("Une piste avec ce chemin existe déjà"),
    // not_found for an unknown artist or album.
    JsonText create(const TrackInput& input);
    // Upsert by musicbrainz_id else path; unchanged (mtime, size) rows are left as is.
    JsonText batch(const std::vector<TrackInput>& items);
    // Throws not_found("Piste non trouvée"). Cached.
    JsonText get(int64_t id);
    JsonText by_artist(int64_t artist_id);
    JsonText by_artist_album(int64_t artist_id, int64_t album_id);
    // Keys present are written; tag lists replace links (PUT /tracks/{id} and
    // PUT /tracks/{id}/tags, whose input holds only the lists). 404 as get.
    JsonText update(int64_t id, const TrackInput& input);
    void remove(int64_t id);  // 404 as get

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kTrackNotFound = "Piste non trouvée";
inline constexpr const char* kTrackExists = "Une piste avec ce chemin existe déjà";

}  // namespace sonique::services
