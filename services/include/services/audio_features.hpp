#pragma once
// Audio features of a track (api-contract.md §6): one row per track, also embedded in the Track
// shape. Any thread. Methods throw not_found("Piste non trouvée") for an unknown track,
// ValidationError (422) for malformed bodies and db::DbError.
#include <cstdint>
#include <optional>
#include <string>

#include "core/json.hpp"
#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// The body of POST and PUT /api/tracks/{id}/audio-features, validated by the HTTP layer.
struct AudioFeaturesInput {
    // Only keys of audio_fields() (track_fields.hpp), each a number, a string or null as the
    // field's kind says; absent keys are not written.
    Json values = Json::object();
    std::optional<int64_t> track_id;  // when given, must equal the path's
};

class AudioFeatureService {
  public:
    explicit AudioFeatureService(ServiceContext& ctx) : ctx_(ctx) {}

    // The features; not_found(kFeaturesNotFound) when the track has none.
    JsonText get(int64_t track_id);
    // Creates them (201). bad_request when they already exist or when the input's track_id
    // differs from track_id.
    JsonText create(int64_t track_id, const AudioFeaturesInput& input);
    // Writes the fields present, creating the row when missing. Same track_id rule.
    JsonText update(int64_t track_id, const AudioFeaturesInput& input);
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
