#include "services/audio_features.hpp"

#include "db/pool.hpp"
#include "services/cover_shape.hpp"
#include "services/shapes_input.hpp"
#include "services/tracks.hpp"
#include "shapes.hpp"

namespace sonique::services {
namespace {

struct Feature {
    const char* name;
    bool text;
};
constexpr Feature kFeatures[] = {
    {"bpm", false},          {"key", true},           {"scale", true},
    {"danceability", false}, {"mood_happy", false},   {"mood_aggressive", false},
    {"mood_party", false},   {"mood_relaxed", false}, {"instrumental", false},
    {"acoustic", false},     {"tonal", false},        {"camelot_key", true},
    {"genre_main", true}};

std::string json_sql() {
    std::string s = "json_build_object('id', f.id, 'track_id', f.track_id";
    for (const auto& ft : kFeatures)
        s += std::string(", '") + ft.name + "', f." + ft.name;
    return s + ", 'date_added', " + iso_ts_sql("f.date_added") + ", 'date_modified', " +
           iso_ts_sql("f.date_modified") + ")";
}

// INSERT of the keys in $2 (a jsonb object) for track $1; absent keys are NULL.
std::string insert_sql() {
    std::string cols, vals;
    for (const auto& ft : kFeatures) {
        cols += std::string(", ") + ft.name;
        vals += std::string(", r.") + ft.name;
    }
    return "INSERT INTO audio_features AS f (track_id" + cols + ") SELECT $1" + vals +
           " FROM jsonb_populate_record(NULL::audio_features, $2::jsonb) r";
}

// Creates the row; returns no row when the track already has one. The unique track_id decides,
// so of two concurrent creations exactly one inserts.
std::string create_sql() {
    return insert_sql() + " ON CONFLICT (track_id) DO NOTHING RETURNING " + json_sql();
}

// Writes the keys present in $2 and keeps the others, creating the row when missing.
std::string upsert_sql() {
    std::string sets;
    for (const auto& ft : kFeatures) {
        std::string n = ft.name;
        sets += n + " = CASE WHEN $2::jsonb ? '" + n + "' THEN EXCLUDED." + n + " ELSE f." + n +
                " END, ";
    }
    return insert_sql() + " ON CONFLICT (track_id) DO UPDATE SET " + sets +
           "from_tags = false, date_modified = now() RETURNING " + json_sql();
}

Json read_body(const Json& body, int64_t track_id) {
    Fields f(body, {"body"});
    Json out = Json::object();
    for (const auto& ft : kFeatures) {
        if (!f.has(ft.name)) continue;
        if (ft.text) {
            auto v = f.text(ft.name);
            out[ft.name] = v ? Json(*v) : Json();
        } else {
            auto v = f.number(ft.name);
            out[ft.name] = v ? Json(*v) : Json();
        }
    }
    auto given = f.integer("track_id");
    f.check();
    if (given && *given != track_id) throw bad_request(kFeaturesTrackMismatch);
    return out;
}

void require_track(db::Connection& conn, int64_t id) {
    if (conn.exec("SELECT 1 FROM tracks WHERE id = $1", db::Params(id)).empty())
        throw not_found(kTrackNotFound);
}

}  // namespace

std::string AudioFeatureService::get(int64_t track_id) {
    static const std::string sql = "SELECT EXISTS (SELECT 1 FROM tracks WHERE id = $1), (SELECT " +
                                   json_sql() + " FROM audio_features f WHERE f.track_id = $1)";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(track_id));
    if (!r.boolean(0, 0)) throw not_found(kTrackNotFound);
    if (r.is_null(0, 1)) throw not_found(kFeaturesNotFound);
    return r.str(0, 1);
}

std::string AudioFeatureService::create(int64_t track_id, const Json& body) {
    Json values = read_body(body, track_id);
    auto conn = ctx_.pool.acquire();
    require_track(*conn, track_id);
    static const std::string sql = create_sql();
    auto r = conn->exec(sql, db::Params(track_id, dump_json(values)));
    if (r.empty()) throw bad_request(kFeaturesExist);
    std::string out = r.str(0, 0);
    invalidate_catalog(ctx_.cache);
    return out;
}

std::string AudioFeatureService::update(int64_t track_id, const Json& body) {
    Json values = read_body(body, track_id);
    auto conn = ctx_.pool.acquire();
    require_track(*conn, track_id);
    static const std::string sql = upsert_sql();
    std::string out = conn->exec(sql, db::Params(track_id, dump_json(values))).str(0, 0);
    invalidate_catalog(ctx_.cache);
    return out;
}

void AudioFeatureService::remove(int64_t track_id) {
    auto conn = ctx_.pool.acquire();
    require_track(*conn, track_id);
    if (conn->exec("DELETE FROM audio_features WHERE track_id = $1", db::Params(track_id))
            .affected() == 0)
        throw not_found(kFeaturesNotFound);
    invalidate_catalog(ctx_.cache);
}

}  // namespace sonique::services
