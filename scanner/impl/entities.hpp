#pragma once
// Lookup-or-create of the entities tracks point to, with per-scan caches so that each artist,
// album, genre and tag costs one statement per scan; a batch's new ones travel in pipelines. Writer
// thread only. After a rolled-back batch, forget() must be called: ids created by it no longer
// exist.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "db/connection.hpp"
#include "scanner/track_info.hpp"

namespace sonique::scanner {

class Entities {
  public:
    struct ArtistRef {
        std::string name;
        OptStr mbid, sort_name;
    };
    struct AlbumRef {
        int64_t artist_id;
        const TrackInfo* track;
        bool compilation;
    };

    explicit Entities(db::Connection& conn) : conn_(conn) {}

    // Look up (else create) the ones not cached yet, in the order given: the same rows as calling
    // artist(), album() or image() for each in turn, in a few round trips (artists and images in
    // pipelines, albums with one statement to find them and one to create the missing ones).
    void prefetch(const std::vector<ArtistRef>& refs);
    void prefetch(const std::vector<AlbumRef>& refs);
    void prefetch(const std::vector<const CoverImage*>& images);

    // By MusicBrainz id, else by case- and accent-insensitive name. Throws DbError.
    int64_t artist(const std::string& name, const OptStr& mbid, const OptStr& sort_name);
    // By MusicBrainz album id, else by (album artist, case-insensitive title). Throws DbError.
    int64_t album(int64_t artist_id, const TrackInfo& t, bool compilation);
    int64_t genre(const std::string& name);
    int64_t genre_tag(const std::string& name);
    int64_t mood_tag(const std::string& name);
    // cover_images row for a normalised image (stored once per sha256). Throws DbError.
    int64_t image(const CoverImage& img);
    void forget();
    // Drops the cached album of (artist, the track's album): it was given to another artist.
    void forget_album(int64_t artist_id, const TrackInfo& t);
    // Drops the cached image ids: the cleanup of unused images may remove them between two
    // transactions.
    void forget_images() { images_.clear(); }

  private:
    using Cache = std::unordered_map<std::string, int64_t>;
    // A lookup-or-insert statement, once more when it lost a race and returned no row.
    int64_t run_twice(const char* sql, const db::Params& params);
    // Runs the statements of the keys not in cache (the first of equal keys) and caches ids.
    void prefetch(Cache& cache, const char* sql, std::vector<std::pair<std::string, db::Params>>);
    int64_t named(std::unordered_map<std::string, int64_t>& cache, const char* sql,
                  const std::string& name, bool fold_key);

    db::Connection& conn_;
    Cache artists_, albums_, genres_, genre_tags_, mood_tags_, images_;
};

}  // namespace sonique::scanner
