#pragma once
// Artists (api.md §4). Reads return JSON text built by PostgreSQL; the reads the frontend makes
// on every page view go through the cache, and every write invalidates it before returning.
// Any thread. Every method may throw db::DbError (kUnavailable -> 503).
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct ArtistSearch {
    std::optional<std::string> name, musicbrainz_artistid, genre;
    int64_t skip = 0, limit = 100;
};

class ArtistService {
  public:
    explicit ArtistService(ServiceContext& ctx) : ctx_(ctx) {}

    // {"count": total, "results": [Artist]} by name, case-insensitive. Cached.
    std::string list(int64_t skip, int64_t limit);
    // {"count": total}. Cached.
    std::string count();
    std::string search(const ArtistSearch& query);
    // Throws ValidationError (422) or conflict("Artiste déjà existant").
    std::string create(const Json& body);
    // Get-or-create by case-insensitive name, answers [Artist] in input order. 422 on bad items.
    std::string batch(const Json& body);
    // Throws not_found("Artiste non trouvé"). Cached.
    std::string get(int64_t id);
    // 404 as get, 409 when the new name or MusicBrainz id belongs to another artist.
    std::string update(int64_t id, const Json& body);
    // Deletes the artist, its albums, tracks and similarity rows. 404 as get.
    void remove(int64_t id);
    // [Track] of the artist by album, disc, track number. 404 as get.
    std::string tracks(int64_t id);

    // Similar artists by weight descending (artists_similar.cpp). 404 as get.
    std::string similar(int64_t id, int64_t limit);
    // {similar_artist_id, weight, source?} -> the relation; [{name, weight}] -> {"success":...}.
    Json add_similar(int64_t id, const Json& body);
    // Stores a free Last.fm object into artists.lastfm_info. 404 as get, 422 when not an object.
    Json set_lastfm_info(int64_t id, const Json& body);

  private:
    Json add_similar_one(int64_t id, const Json& body);
    Json add_similar_list(int64_t id, const Json& body);
    ServiceContext& ctx_;
};

inline constexpr const char* kArtistNotFound = "Artiste non trouvé";
inline constexpr const char* kArtistExists = "Artiste déjà existant";

}  // namespace sonique::services
