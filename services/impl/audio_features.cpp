#include "services/audio_features.hpp"

#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "services/track_fields.hpp"
#include "services/tracks.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

std::string json_sql() {
    std::string s = "json_build_object('id', f.id, 'track_id', f.track_id";
    for (const auto& ft : audio_fields())
        s += std::string(", '") + ft.name + "', f." + ft.name;
    return s + ", 'date_added', " + iso_ts_sql("f.date_added") + ", 'date_modified', " +
           iso_ts_sql("f.date_modified") + ")";
}

// INSERT of the keys in $2 (a jsonb object) for track $1; absent keys are NULL.
std::string insert_sql() {
    std::string cols, vals;
    for (const auto& ft : audio_fields()) {
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
    for (const auto& ft : audio_fields()) {
        std::string n = ft.name;
        sets += n + " = CASE WHEN $2::jsonb ? '" + n + "' THEN EXCLUDED." + n + " ELSE f." + n +
                " END, ";
    }
    return insert_sql() + " ON CONFLICT (track_id) DO UPDATE SET " + sets +
           "from_tags = false, date_modified = now() RETURNING " + json_sql();
}

// The values to write, once the input's track_id (when given) is checked against the path's.
std::string checked_values(const AudioFeaturesInput& input, int64_t track_id) {
    if (input.track_id && *input.track_id != track_id) throw bad_request(kFeaturesTrackMismatch);
    return dump_json(input.values);
}

void require_track(db::Connection& conn, int64_t id) {
    if (conn.exec("SELECT 1 FROM tracks WHERE id = $1", db::Params(id)).empty())
        throw not_found(kTrackNotFound);
}

}  // namespace

JsonText AudioFeatureService::get(int64_t track_id) {
    static const std::string sql = "SELECT EXISTS (SELECT 1 FROM tracks WHERE id = $1), (SELECT " +
                                   json_sql() + " FROM audio_features f WHERE f.track_id = $1)";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(track_id));
    JsonText features = owned_list(r, kTrackNotFound);
    if (r.is_null(0, 1)) throw not_found(kFeaturesNotFound);
    return features;
}

JsonText AudioFeatureService::create(int64_t track_id, const AudioFeaturesInput& input) {
    std::string values = checked_values(input, track_id);
    auto conn = ctx_.pool.acquire();
    require_track(*conn, track_id);
    static const std::string sql = create_sql();
    auto r = conn->exec(sql, db::Params(track_id, values));
    if (r.empty()) throw bad_request(kFeaturesExist);
    invalidate_catalog(ctx_.cache);
    return JsonText(r.str(0, 0));
}

JsonText AudioFeatureService::update(int64_t track_id, const AudioFeaturesInput& input) {
    std::string values = checked_values(input, track_id);
    auto conn = ctx_.pool.acquire();
    require_track(*conn, track_id);
    static const std::string sql = upsert_sql();
    JsonText out(conn->exec(sql, db::Params(track_id, values)).str(0, 0));
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
