// Bodies of the track routes and of their audio features, read with the one field table of
// services/track_fields.hpp.
#include <climits>

#include "core/strings.hpp"
#include "input_catalog.hpp"
#include "services/track_fields.hpp"

namespace sonique::server {
namespace {

using services::FieldKind;
using services::TrackField;

// numbers_as_text: a number given for a text field is written as text (tracks accept it, the
// audio features' own route does not).
Json read_value(Fields& f, const TrackField& field, bool numbers_as_text = true) {
    switch (field.kind) {
        case FieldKind::kText: {
            auto v = f.text(field.name, false, numbers_as_text);
            return v ? Json(*v) : Json();
        }
        case FieldKind::kFloat: {
            auto v = f.number(field.name);
            return v ? Json(*v) : Json();
        }
        case FieldKind::kInt32:
        case FieldKind::kInt64: {
            auto v = f.integer(field.name);
            if (!v) return Json();
            if (field.kind == FieldKind::kInt32 && (*v < INT_MIN || *v > INT_MAX)) {
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
    out[key] = services::tag_names(*list);
}

}  // namespace

services::TrackInput read_track(const Json& body, const Loc& loc, bool create) {
    Fields f(body, loc);
    Json out = Json::object();
    for (const auto& field : services::track_fields()) {
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
    for (const auto& field : services::audio_fields())
        if (f.has(field.name)) out[field.name] = read_value(f, field);
    read_tags(f, "genre_tags", out);
    read_tags(f, "mood_tags", out);
    f.check();
    return {std::move(out)};
}

std::vector<services::TrackInput> read_track_batch(const Json& body) {
    return read_batch(body,
                      [](const Json& item, const Loc& loc) { return read_track(item, loc, true); });
}

services::TrackInput read_track_tags(const Json& body) {
    Fields f(body, {"body"});
    Json out = Json::object();
    read_tags(f, "genre_tags", out);
    read_tags(f, "mood_tags", out);
    f.check();
    return {std::move(out)};
}

services::AudioFeaturesInput read_audio_features(const Json& body) {
    Fields f(body, {"body"});
    services::AudioFeaturesInput in;
    for (const auto& field : services::audio_fields())
        if (f.has(field.name)) in.values[field.name] = read_value(f, field, false);
    in.track_id = f.integer("track_id");
    f.check();
    return in;
}

}  // namespace sonique::server
