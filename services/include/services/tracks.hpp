#pragma once
// Tracks (api.md §6). Every answer uses the one Track shape of shapes.hpp (audio features,
// tags, covers and artists included), built by PostgreSQL in one query. Writes invalidate the
// catalog cache before returning. Any thread. Every method may throw db::DbError
// (kUnavailable -> 503) and ValidationError (422) for malformed bodies.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct TrackSearch {
    std::optional<std::string> title, artist, album, genre, year, path, musicbrainz_id;
    std::vector<std::string> genre_tags, mood_tags;  // any of them (empty: no filter)
    int64_t skip = 0, limit = 100;
};

class TrackService {
  public:
    explicit TrackService(ServiceContext& ctx) : ctx_(ctx) {}

    std::string list(int64_t skip, int64_t limit);  // [Track] by id. Cached.
    std::string count();                            // {"count": n}. Cached.
    std::string search(const TrackSearch& query);
    // Required title, path, track_artist_id. conflict("Une piste avec ce chemin existe déjà"),
    // not_found for an unknown artist or album.
    std::string create(const Json& body);
    // Upsert by musicbrainz_id else path; unchanged (mtime, size) rows are left as is.
    std::string batch(const Json& body);
    // Throws not_found("Piste non trouvée"). Cached.
    std::string get(int64_t id);
    std::string by_artist(int64_t artist_id);
    std::string by_artist_album(int64_t artist_id, int64_t album_id);
    // Keys present are written; tag lists replace links. 404 as get.
    std::string update(int64_t id, const Json& body);
    std::string update_tags(int64_t id, const Json& body);
    void remove(int64_t id);  // 404 as get

  private:
    std::string write_one(int64_t id, const Json& item);
    ServiceContext& ctx_;
};

inline constexpr const char* kTrackNotFound = "Piste non trouvée";
inline constexpr const char* kTrackExists = "Une piste avec ce chemin existe déjà";

}  // namespace sonique::services
