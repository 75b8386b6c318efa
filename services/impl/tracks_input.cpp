#include "tracks_input.hpp"

#include <climits>

#include "core/strings.hpp"

namespace sonique::services {
namespace {

constexpr TrackField kFields[] = {
    {"title", Kind::kText, false},
    {"path", Kind::kText, false},
    {"track_artist_id", Kind::kInt64, false},
    {"album_id", Kind::kInt64, true},
    {"duration", Kind::kInt32, true},
    {"track_number", Kind::kText, true},
    {"disc_number", Kind::kText, true},
    {"track_total", Kind::kInt32, true},
    {"disc_total", Kind::kInt32, true},
    {"year", Kind::kText, true},
    {"original_date", Kind::kText, true},
    {"genre", Kind::kText, true},
    {"file_type", Kind::kText, true},
    {"bitrate", Kind::kInt32, true},
    {"sample_rate", Kind::kInt32, true},
    {"channels", Kind::kInt32, true},
    {"bit_depth", Kind::kInt32, true},
    {"featured_artists", Kind::kText, true},
    {"composer", Kind::kText, true},
    {"comment", Kind::kText, true},
    {"lyrics", Kind::kText, true},
    {"isrc", Kind::kText, true},
    {"title_sort", Kind::kText, true},
    {"artist_sort", Kind::kText, true},
    {"album_sort", Kind::kText, true},
    {"album_artist_sort", Kind::kText, true},
    {"musicbrainz_id", Kind::kText, true},
    {"musicbrainz_recordingid", Kind::kText, true},
    {"musicbrainz_albumid", Kind::kText, true},
    {"musicbrainz_artistid", Kind::kText, true},
    {"musicbrainz_albumartistid", Kind::kText, true},
    {"musicbrainz_releasegroupid", Kind::kText, true},
    {"acoustid_fingerprint", Kind::kText, true},
    {"replaygain_track_gain", Kind::kFloat, true},
    {"replaygain_track_peak", Kind::kFloat, true},
    {"replaygain_album_gain", Kind::kFloat, true},
    {"replaygain_album_peak", Kind::kFloat, true},
    {"file_mtime", Kind::kFloat, true},
    {"file_size", Kind::kInt64, true},
};

// The Track shape's audio fields (api.md §2), stored in audio_features, not in tracks.
constexpr TrackField kAudioFields[] = {
    {"bpm", Kind::kFloat, true},          {"key", Kind::kText, true},
    {"scale", Kind::kText, true},         {"danceability", Kind::kFloat, true},
    {"mood_happy", Kind::kFloat, true},   {"mood_aggressive", Kind::kFloat, true},
    {"mood_party", Kind::kFloat, true},   {"mood_relaxed", Kind::kFloat, true},
    {"instrumental", Kind::kFloat, true}, {"acoustic", Kind::kFloat, true},
    {"tonal", Kind::kFloat, true},        {"camelot_key", Kind::kText, true},
    {"genre_main", Kind::kText, true},
};

Json read_value(Fields& f, const TrackField& field) {
    switch (field.kind) {
        case Kind::kText: {
            auto v = f.text(field.name, false, true);
            return v ? Json(*v) : Json();
        }
        case Kind::kFloat: {
            auto v = f.number(field.name);
            return v ? Json(*v) : Json();
        }
        case Kind::kInt32:
        case Kind::kInt64: {
            auto v = f.integer(field.name);
            if (!v) return Json();
            if (field.kind == Kind::kInt32 && (*v < INT_MIN || *v > INT_MAX)) {
                f.add_issue(field.name, "Input should be less than or equal to 2147483647",
                            "less_than_equal");
                return Json();
            }
            return *v;
        }
    }
    return Json();
}

// Absent or null: "not given", the track's links of that kind stay as they are (as Pydantic's
// Optional[List[str]] = None). A list, even empty, replaces them.
void read_tags(Fields& f, const char* key, Json& out) {
    if (f.is_null(key)) return;
    auto list = f.strings(key);
    if (!list) return;  // not a list of strings: the issue is recorded, check() throws
    Json names = Json::array();
    for (const auto& n : *list) {
        std::string t = trim(n);
        if (!t.empty()) names.push_back(t);
    }
    out[key] = names;
}

}  // namespace

std::span<const TrackField> track_fields() {
    return kFields;
}

std::span<const TrackField> audio_fields() {
    return kAudioFields;
}

Json normalize_track(const Json& body, const Loc& loc, bool create) {
    Fields f(body, loc);
    Json out = Json::object();
    for (const auto& field : kFields) {
        bool required = create && !field.nullable;
        if (required && f.is_null(field.name)) f.add_issue(field.name, "Field required", "missing");
        if (!f.has(field.name)) continue;
        Json v = read_value(f, field);
        if (v.is_null() && !field.nullable) continue;  // "unchanged"
        if (v.is_string() && !field.nullable && trim(v.get<std::string>()).empty()) {
            f.add_issue(field.name, "String should have at least 1 character", "string_too_short");
            continue;
        }
        out[field.name] = v;
    }
    for (const auto& field : kAudioFields)
        if (f.has(field.name)) out[field.name] = read_value(f, field);
    read_tags(f, "genre_tags", out);
    read_tags(f, "mood_tags", out);
    f.check();
    return out;
}

Json normalize_track_tags(const Json& body) {
    Fields f(body, {"body"});
    Json out = Json::object();
    read_tags(f, "genre_tags", out);
    read_tags(f, "mood_tags", out);
    f.check();
    return out;
}

}  // namespace sonique::services
