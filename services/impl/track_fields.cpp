#include "services/track_fields.hpp"

#include "core/strings.hpp"

namespace sonique::services {
namespace {

using K = FieldKind;

constexpr TrackField kFields[] = {
    {"title", K::kText, false},
    {"path", K::kText, false},
    {"track_artist_id", K::kInt64, false},
    {"album_id", K::kInt64, true},
    {"duration", K::kInt32, true},
    {"track_number", K::kText, true},
    {"disc_number", K::kText, true},
    {"track_total", K::kInt32, true},
    {"disc_total", K::kInt32, true},
    {"year", K::kText, true},
    {"original_date", K::kText, true},
    {"genre", K::kText, true},
    {"file_type", K::kText, true},
    {"bitrate", K::kInt32, true},
    {"sample_rate", K::kInt32, true},
    {"channels", K::kInt32, true},
    {"bit_depth", K::kInt32, true},
    {"featured_artists", K::kText, true},
    {"composer", K::kText, true},
    {"comment", K::kText, true},
    {"lyrics", K::kText, true},
    {"isrc", K::kText, true},
    {"title_sort", K::kText, true},
    {"artist_sort", K::kText, true},
    {"album_sort", K::kText, true},
    {"album_artist_sort", K::kText, true},
    {"musicbrainz_id", K::kText, true},
    {"musicbrainz_recordingid", K::kText, true},
    {"musicbrainz_albumid", K::kText, true},
    {"musicbrainz_artistid", K::kText, true},
    {"musicbrainz_albumartistid", K::kText, true},
    {"musicbrainz_releasegroupid", K::kText, true},
    {"acoustid_fingerprint", K::kText, true},
    {"replaygain_track_gain", K::kFloat, true},
    {"replaygain_track_peak", K::kFloat, true},
    {"replaygain_album_gain", K::kFloat, true},
    {"replaygain_album_peak", K::kFloat, true},
    {"file_mtime", K::kFloat, true},
    {"file_size", K::kInt64, true},
};

// The Track shape's audio fields (api-contract.md §2), stored in audio_features, not in tracks.
constexpr TrackField kAudioFields[] = {
    {"bpm", K::kFloat, true},          {"key", K::kText, true},
    {"scale", K::kText, true},         {"danceability", K::kFloat, true},
    {"mood_happy", K::kFloat, true},   {"mood_aggressive", K::kFloat, true},
    {"mood_party", K::kFloat, true},   {"mood_relaxed", K::kFloat, true},
    {"instrumental", K::kFloat, true}, {"acoustic", K::kFloat, true},
    {"tonal", K::kFloat, true},        {"camelot_key", K::kText, true},
    {"genre_main", K::kText, true},
};

}  // namespace

std::span<const TrackField> track_fields() {
    return kFields;
}

std::span<const TrackField> audio_fields() {
    return kAudioFields;
}

Json tag_names(const std::vector<std::string>& names) {
    Json out = Json::array();
    for (const auto& n : names) {
        std::string t = trim(n);
        if (!t.empty()) out.push_back(t);
    }
    return out;
}

}  // namespace sonique::services
