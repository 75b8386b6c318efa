// AnalysisService: the stored analysis of one track, in one statement.
#include <string>

#include "analysis/features.hpp"
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "db/pool.hpp"
#include "services/analysis.hpp"
#include "services/tracks.hpp"

namespace sonique::services {
namespace {

// The track (always one row when it exists), its analysis, if any, and the values the analysis
// offers (docs/analysis.md, "Values the tags lacked"), before the written ones take precedence.
constexpr const char* kTrackAnalysisSql = R"SQL(
SELECT a.version, a.features::text, a.seconds_analysed, a.analysed_at,
       a.file_mtime IS NOT DISTINCT FROM t.file_mtime AND a.file_size IS NOT DISTINCT FROM t.file_size,
       json_build_object('bpm', v.bpm, 'key', v.key, 'scale', v.scale,
                         'camelot_key', sonique_camelot(v.key, v.scale), 'loudness', v.loudness,
                         'replaygain_track_gain', v.replaygain_track_gain,
                         'replaygain_track_peak', v.replaygain_track_peak,
                         'replaygain_album_gain', l.replaygain_album_gain,
                         'replaygain_album_peak', l.replaygain_album_peak)
  FROM tracks t LEFT JOIN track_analysis a ON a.track_id = t.id
  LEFT JOIN analysed_track_values v ON v.track_id = t.id
  LEFT JOIN analysed_album_values l ON l.album_id = t.album_id
 WHERE t.id = $1)SQL";

std::vector<double> parse_real_array(std::string_view text) {
    std::vector<double> out;
    std::string item;
    for (char c : text) {
        if (c == '{') continue;
        if (c == ',' || c == '}') {
            if (!item.empty()) out.push_back(std::stod(item));
            item.clear();
        } else {
            item += c;
        }
    }
    return out;
}

}  // namespace

JsonText AnalysisService::track_analysis(int64_t track_id) {
    auto r = ctx_.pool.acquire()->exec(kTrackAnalysisSql, db::Params(track_id));
    if (r.empty()) throw not_found(kTrackNotFound);
    if (r.is_null(0, 0)) throw not_found(kAnalysisNotFound);
    namespace an = analysis;
    int version = static_cast<int>(r.int64(0, 0));
    std::vector<double> values = parse_real_array(r.text(0, 1));
    Json features = Json::object();
    // Names belong to the current layout; an older version's vector is returned unnamed.
    if (version == an::kAnalyserVersion && values.size() == an::kFeatureCount)
        for (size_t i = 0; i < values.size(); ++i)
            features[std::string(an::feature_name(i))] = values[i];
    Json out{{"track_id", track_id},
             {"version", version},
             {"current_version", an::kAnalyserVersion},
             {"seconds_analysed", r.dbl(0, 2)},
             {"analysed_at", r.str(0, 3)},
             {"file_changed", !r.boolean(0, 4)},
             {"vector", values},
             {"features", features},
             {"values", parse_json(r.str(0, 5))}};
    if (!features.empty()) {
        int key = static_cast<int>(values[an::kKeyIndex]);
        out["key"] = std::string(an::pitch_class_name(key));
        out["scale"] = values[an::kModeIndex] > 0.5 ? "major" : "minor";
    }
    return JsonText(dump_json(out));
}

void AnalysisService::values_changed() {
    namespace ns = cache::ns;
    ctx_.cache.invalidate({ns::kArtists, ns::kAlbums, ns::kTracks, ns::kLibrary});
}

void AnalysedValuesRefresh::stored(int64_t written) {
    if (written != seen_) {
        seen_ = written;
        pending_ = true;
    }
    if (!pending_) return;
    auto now = std::chrono::steady_clock::now();
    if (!last_ || now - *last_ >= window_) bump();
}

void AnalysedValuesRefresh::finish(int64_t written) {
    if (written != seen_) {
        seen_ = written;
        pending_ = true;
    }
    if (pending_) bump();
}

void AnalysedValuesRefresh::bump() {
    AnalysisService(ctx_).values_changed();
    last_ = std::chrono::steady_clock::now();
    pending_ = false;
    ++bumps_;
}

}  // namespace sonique::services
