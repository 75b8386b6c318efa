#pragma once
// Artists (api-contract.md §4). Reads return JSON text built by PostgreSQL; the reads the frontend
// makes on every page view go through the cache, and every write invalidates it before returning.
// Any thread. Every method may throw db::DbError (kUnavailable -> 503).
#include <cstdint>
#include <optional>
#include <string>

#include <vector>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

struct ArtistSearch {
    std::optional<std::string> name, musicbrainz_artistid, genre;
    int64_t skip = 0, limit = 100;
};

// An artist as a client writes it (POST, PUT, an item of a batch), validated by the HTTP layer:
// name trimmed and non-empty when present. Create and batch require the name.
struct ArtistInput {
    std::optional<std::string> name;
    std::optional<std::string> musicbrainz_artistid;
    bool musicbrainz_artistid_given = false;  // PUT: absent keeps the stored id, null clears it
};

// POST /api/artists/{id}/similar with one relation.
struct SimilarArtistInput {
    int64_t similar_artist_id = 0;
    double weight = 0;                  // 0..1
    std::optional<std::string> source;  // default "manual"
};

// An item of POST /api/artists/{id}/similar with a list: the artist is found or created by name.
struct SimilarByNameInput {
    std::string name;                   // trimmed, non-empty
    double weight = 0;                  // 0..1
    std::optional<std::string> source;  // default "lastfm"
};

// Last.fm information, free by contract and stored as it is: the serialised text of a JSON
// object (the HTTP layer checked that it is one and holds no NUL).
struct LastfmInfo {
    std::string json;
};

class ArtistService {
  public:
    explicit ArtistService(ServiceContext& ctx) : ctx_(ctx) {}

    // {"count": total, "results": [Artist]} by name, case-insensitive. Cached.
    JsonText list(int64_t skip, int64_t limit);
    // {"count": total}. Cached.
    JsonText count();
    JsonText search(const ArtistSearch& query);
    // input.name is required. Throws conflict("Artiste déjà existant").
    JsonText create(const ArtistInput& input);
    // Get-or-create by case-insensitive name, answers [Artist] in input order. Names required.
    JsonText batch(const std::vector<ArtistInput>& items);
    // Throws not_found("Artiste non trouvé"). Cached.
    JsonText get(int64_t id);
    // 404 as get, 409 when the new name or MusicBrainz id belongs to another artist.
    JsonText update(int64_t id, const ArtistInput& input);
    // Deletes the artist, its albums, tracks and similarity rows. 404 as get.
    void remove(int64_t id);
    // [Track] of the artist by album, disc, track number. 404 as get.
    JsonText tracks(int64_t id);

    // Similar artists by weight descending (artists_similar.cpp). 404 as get.
    JsonText similar(int64_t id, int64_t limit);
    // Stores one relation and answers it. bad_request when it names the artist itself, 404 when
    // either artist is missing.
    JsonText add_similar(int64_t id, const SimilarArtistInput& input);
    // Creates the named artists that are missing, stores the relations, answers
    // {"success": true, "message": ...}. 404 as get.
    JsonText add_similar(int64_t id, const std::vector<SimilarByNameInput>& items);
    // Stores the Last.fm object into artists.lastfm_info. 404 as get.
    JsonText set_lastfm_info(int64_t id, const LastfmInfo& info);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kArtistNotFound = "Artiste non trouvé";
inline constexpr const char* kArtistExists = "Artiste déjà existant";

}  // namespace sonique::services
