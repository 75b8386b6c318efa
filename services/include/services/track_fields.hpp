#pragma once
// The writable fields of a track, in one table: the HTTP layer validates TrackInput from it and
// the track writes generate their SQL from it, so that a new column is added in one place.
#include <span>
#include <string>
#include <vector>

#include "core/json.hpp"

namespace sonique::services {

enum class FieldKind { kText, kInt32, kInt64, kFloat };

struct TrackField {
    const char* name;  // column (of tracks or audio_features) and key of the input
    FieldKind kind;
    bool nullable;
};

// Every column of tracks a client may write.
std::span<const TrackField> track_fields();

// The Track shape's audio fields (bpm, key, moods, ...): columns of audio_features, all nullable.
std::span<const TrackField> audio_fields();

// A tag list as stored: names trimmed, empty ones dropped. Any thread.
Json tag_names(const std::vector<std::string>& names);

}  // namespace sonique::services
