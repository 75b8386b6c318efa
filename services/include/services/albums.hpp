#pragma once
// Albums (api-contract.md §5). JSON text built by PostgreSQL; single albums and album tracks are
// cached and every write invalidates the catalog before returning. Any thread. Every method may
// throw db::DbError (kUnavailable -> 503) and ValidationError (422) for malformed bodies.
#include <cstdint>
#include <optional>
#include <string>

#include <vector>

#include "core/json.hpp"
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct AlbumSearch {
    std::optional<std::string> title, musicbrainz_albumid;
    std::optional<int64_t> artist_id;
    int64_t skip = 0, limit = 100;
};

// An album as a client writes it (POST, PUT, an item of a batch), validated by the HTTP layer or
// the GraphQL mutations: title trimmed and non-empty, release year normalised ("YYYY").
// Create and batch require title and album_artist_id.
struct AlbumInput {
    std::optional<std::string> title;
    std::optional<int64_t> album_artist_id;
    std::optional<std::string> release_year;
    std::optional<std::string> musicbrainz_albumid;
    bool has_release_year = false, has_mbid = false;  // PUT: absent keeps, null clears
};

class AlbumService {
  public:
    explicit AlbumService(ServiceContext& ctx) : ctx_(ctx) {}

    // {"count": total albums, "results": [Album]} by title. Cached.
    JsonText list(int64_t skip, int64_t limit);
    JsonText search(const AlbumSearch& query);
    // Throws not_found("Artiste non trouvé") for an unknown artist, conflict for a taken
    // MusicBrainz id.
    JsonText create(const AlbumInput& input);
    // Get-or-create on (album_artist_id, lower(title)) or musicbrainz_albumid; input order.
    JsonText batch(const std::vector<AlbumInput>& items);
    // Throws not_found("Album non trouvé"). Cached.
    JsonText get(int64_t id);
    // [Album] of an artist by year then title; not_found("Artiste non trouvé").
    JsonText by_artist(int64_t artist_id);
    // [Track] by disc then track number, numerically. 404 as get. Cached.
    JsonText tracks(int64_t id);
    // The fields given are written. 404 as get, not_found("Artiste non trouvé").
    JsonText update(int64_t id, const AlbumInput& input);
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
