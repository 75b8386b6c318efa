#pragma once
// Audio features of a track (api.md §6): one row per track, also embedded in the Track shape.
// Any thread. Methods throw not_found("Piste non trouvée") for an unknown track,
// ValidationError (422) for malformed bodies and db::DbError.
#include <cstdint>
#include <string>

#include "core/json.hpp"
#include "services/context.hpp"

namespace sonique::services {

class AudioFeatureService {
  public:
    explicit AudioFeatureService(ServiceContext& ctx) : ctx_(ctx) {}

    // The features; not_found(kFeaturesNotFound) when the track has none.
    std::string get(int64_t track_id);
    // Creates them (201). bad_request when they already exist or when the body's track_id
    // differs from track_id.
    std::string create(int64_t track_id, const Json& body);
    // Writes the fields present, creating the row when missing. Same track_id rule.
    std::string update(int64_t track_id, const Json& body);
    // not_found(kFeaturesNotFound) when there are none.
    void remove(int64_t track_id);

  private:
    ServiceContext& ctx_;
};

inline constexpr const char* kFeaturesNotFound = "Caractéristiques audio non trouvées";
inline constexpr const char* kFeaturesExist =
    "Les caractéristiques audio existent déjà pour cette piste";
inline constexpr const char* kFeaturesTrackMismatch = "Le track_id ne correspond pas à la piste";

}  // namespace sonique::services
