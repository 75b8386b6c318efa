#pragma once
// Albums (api.md §5). JSON text built by PostgreSQL; single albums and album tracks are cached
// and every write invalidates the catalog before returning. Any thread. Every method may throw
// db::DbError (kUnavailable -> 503) and ValidationError (422) for malformed bodies.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct AlbumSearch {
    std::optional<std::string> title, musicbrainz_albumid;
    std::optional<int64_t> artist_id;
    int64_t skip = 0, limit = 100;
};

class AlbumService {
  public:
    explicit AlbumService(ServiceContext& ctx) : ctx_(ctx) {}

    // {"count": total albums, "results": [Album]} by title. Cached.
    std::string list(int64_t skip, int64_t limit);
    std::string search(const AlbumSearch& query);
    // Throws not_found("Artiste non trouvé") for an unknown artist, conflict for a taken
    // MusicBrainz id.
    std::string create(const Json& body);
    // Get-or-create on (album_artist_id, lower(title)) or musicbrainz_albumid; input order.
    std::string batch(const Json& body);
    // Throws not_found("Album non trouvé"). Cached.
    std::string get(int64_t id);
    // [Album] of an artist by year then title; not_found("Artiste non trouvé").
    std::string by_artist(int64_t artist_id);
    // [Track] by disc then track number, numerically. 404 as get. Cached.
    std::string tracks(int64_t id);
    std::string update(int64_t id, const Json& body);
    // Its tracks keep existing with album_id null. 404 as get.
    void remove(int64_t id);

  private:
    ServiceContext& ctx_;
};

// "YYYY" or nullopt from an int or a text date: "2001-05-03", "2001/05/03", "03/05/2001" ->
// "2001"; two digits "YY" -> 20YY when <= 30 else 19YY; anything else -> nullopt.
std::optional<std::string> normalize_release_year(const Json& value);

inline constexpr const char* kAlbumNotFound = "Album non trouvé";
inline constexpr const char* kAlbumExists = "Album déjà existant";

}  // namespace sonique::services
