#pragma once
// The sonic vector sets (docs/analysis.md, "The sonic set"): one per track, artist and album,
// built from the analyser's raw features standardised with the library's statistics and
// weighted per feature group (analysis/sonic.hpp), in the search layer's FAISS sets. One
// instance per server process, owned by the runtime and reached through ServiceContext::sonic;
// every answer that asks for similarity by sound (similar tracks and artists, Subsonic's sonic
// methods) goes through it. Every method may be called from any thread and throws nothing but
// std::bad_alloc: a set that is not ready answers nullopt, and the caller falls back.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "services/context.hpp"

namespace sonique::search {
class VectorSet;
}

namespace sonique::services {

struct SonicHit {
    int64_t id = 0;
    double similarity = 0;  // cosine similarity of the two sonic vectors, -1..1
};

struct SonicSetStatus {
    bool ready = false;
    bool building = false;
    size_t size = 0;
    int rebuilds = 0;
    int catch_ups = 0;
    std::string last_problem;
};

struct SonicIndexStatus {
    SonicSetStatus tracks, artists, albums;
};

class SonicIndex {
  public:
    // Opens the three sets (their saved files under config.index_dir when sound, else rebuilt in
    // the background). Throws std::system_error when a set's thread cannot start.
    explicit SonicIndex(ServiceContext& ctx);
    ~SonicIndex();
    SonicIndex(const SonicIndex&) = delete;
    SonicIndex& operator=(const SonicIndex&) = delete;

    // A track's (artist's, album's) stored sonic vector, unit length; nullopt when it has none
    // or the set is not ready.
    std::optional<std::vector<float>> track_vector(int64_t track);
    // The k tracks nearest to a vector, best first.
    std::optional<std::vector<SonicHit>> nearest_tracks(std::span<const float> vector, size_t k);
    // The k tracks (artists, albums) nearest to one of them, itself left out; nullopt when it
    // has no vector or the set is not ready.
    std::optional<std::vector<SonicHit>> similar_tracks(int64_t track, size_t k);
    std::optional<std::vector<SonicHit>> similar_artists(int64_t artist, size_t k);
    std::optional<std::vector<SonicHit>> similar_albums(int64_t album, size_t k);

    // A path of at most `count` tracks (at least 2) from `from` to `to` moving smoothly between
    // them: the straight line between the two vectors cut into count - 1 steps, at each step the
    // nearest track not used yet that `allowed` accepts (the caller's scope). First `from`, last
    // `to`; nullopt when either has no vector. `allowed` is called once, with every candidate.
    std::optional<std::vector<int64_t>> path(
        int64_t from, int64_t to, size_t count,
        const std::function<std::vector<int64_t>(const std::vector<int64_t>&)>& allowed);

    // Checks the database now (after an analysis run): new and changed vectors join the track
    // set at once, the artist and album sets rebuild in the background.
    void refresh();
    // Blocks until no set has work queued (tests, benchmarks).
    void wait_idle();
    SonicIndexStatus status() const;

  private:
    std::optional<std::vector<SonicHit>> similar(search::VectorSet& set, int64_t id, size_t k);
    std::unique_ptr<search::VectorSet> tracks_, artists_, albums_;
};

// Similarity of two unit vectors as OpenSubsonic's sonicMatch wants it: 0..1, 1 the same
// song. Throws nothing.
double normalised_similarity(double cosine);

}  // namespace sonique::services
