#pragma once
// The writable columns of a track and the validation of TrackCreate / TrackUpdate bodies
// (private to the tracks service).
#include <span>
#include <string>

#include "core/json.hpp"
#include "services/shapes_input.hpp"

namespace sonique::services {

enum class Kind { kText, kInt32, kInt64, kFloat };

struct TrackField {
    const char* name;  // column of tracks and key of the body
    Kind kind;
    bool nullable;
};

// Every column a client may write, in one table: validation and SQL are generated from it.
std::span<const TrackField> track_fields();

// The Track shape's audio fields (bpm, key, moods, ...): columns of audio_features, all nullable.
std::span<const TrackField> audio_fields();

// A normalised copy of body holding only known keys (track and audio fields) with values of
// the column's type, plus genre_tags / mood_tags as arrays of trimmed non-empty names (absent
// or null: left out, so the links stay as they are). Null for a non-nullable column means
// "unchanged". create: title, path and track_artist_id required. Unknown keys are ignored.
// Throws ValidationError listing every problem.
Json normalize_track(const Json& body, const Loc& loc, bool create);

// Only genre_tags / mood_tags (PUT /tracks/{id}/tags), null as absent. Throws ValidationError.
Json normalize_track_tags(const Json& body);

}  // namespace sonique::services
