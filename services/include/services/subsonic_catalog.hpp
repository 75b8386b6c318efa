#pragma once
// The catalog in the OpenSubsonic shapes (ArtistsID3, ArtistWithAlbumsID3, AlbumID3WithSongs,
// Child), as JSON built by PostgreSQL in one statement per answer; the subsonic layer writes it
// as XML or JSON. Ids are strings that tell kinds apart: "ar-<id>", "al-<id>", "tr-<id>"
// (subsonic/impl/ids.hpp parses them). Null fields are left out; lists are arrays.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// The getAlbumList(2) types that need no per-user data.
enum class AlbumListType { kRandom, kNewest, kByName, kByArtist, kByYear, kByGenre };

struct AlbumListQuery {
    AlbumListType type = AlbumListType::kNewest;
    int64_t size = 10;   // the caller bounds it (0..500)
    int64_t offset = 0;  // >= 0
    int from_year = 0;   // kByYear: from > to lists the years in reverse order
    int to_year = 0;
    std::string genre;  // kByGenre: a genre's name, whatever its case
    bool id3 = true;    // AlbumID3 (getAlbumList2) or Child with isDir (getAlbumList)
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down.
class SubsonicCatalog {
  public:
    explicit SubsonicCatalog(ServiceContext& ctx) : ctx_(ctx) {}

    // {"ignoredArticles": "...", "index": [{"name": "A", "artist": [ArtistID3...]}]}: the
    // album artists, indexed by the first letter of their sort name without a leading article.
    JsonText artists();
    // ArtistWithAlbumsID3 ("album": its albums by year then title); nullopt for no such artist.
    std::optional<JsonText> artist(int64_t id);
    // AlbumID3WithSongs ("song": by disc, track number, id); nullopt for no such album.
    std::optional<JsonText> album(int64_t id);
    // Child; nullopt for no such track.
    std::optional<JsonText> song(int64_t id);
    // {"album": [...]}: one page of albums in the query's order (subsonic_lists.cpp).
    JsonText album_list(const AlbumListQuery& q);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
