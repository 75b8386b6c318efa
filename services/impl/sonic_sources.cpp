// The sonic sets' reads: one statement per load (one snapshot of every row and the generation),
// the statistics computed from the same rows. docs/analysis.md, "The sonic set".
#include "sonic_sources.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "analysis/sonic.hpp"
#include "db/pool.hpp"
#include "search/external_sets.hpp"

namespace sonique::services {
namespace {

using analysis::FeatureVector;
using analysis::kFeatureCount;

// The analyser version most rows have: the set holds that version only, so that during a
// re-analysis by a new analyser the old vectors serve until the new ones are the majority.
const char* const kVersionCte =
    "v AS (SELECT version, count(*) AS n FROM track_analysis GROUP BY version ORDER BY count(*) "
    "DESC, version DESC LIMIT 1)";

// A statistics catch-up tolerates this share of tracks added since they were computed; beyond,
// the set rebuilds (and recomputes them).
constexpr double kStatsDrift = 0.10;

bool parse_features(std::string_view text, FeatureVector& out) {
    std::vector<float> values;
    if (!search::parse_float_array(text, values) || values.size() != kFeatureCount) return false;
    for (size_t i = 0; i < kFeatureCount; ++i)
        out[i] = std::isfinite(values[i]) ? values[i] : 0.0f;
    return true;
}

std::string real_array(const FeatureVector& v) {
    std::string out = "{";
    char buf[32];
    for (size_t i = 0; i < v.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", static_cast<double>(v[i]));
        out += buf;
    }
    return out + "}";
}

std::string load_sql(SonicKey key) {
    const char* column = key == SonicKey::kTrack    ? "a.track_id"
                         : key == SonicKey::kArtist ? "t.track_artist_id"
                                                    : "t.album_id";
    return std::string("WITH ") + kVersionCte +
           " SELECT s.generation, v.version, x.key, x.features FROM sonic_set_state s LEFT JOIN "
           "v ON true LEFT JOIN (SELECT " +
           column +
           " AS key, a.version, a.features FROM track_analysis a JOIN tracks t ON t.id = "
           "a.track_id) x ON x.version = v.version AND x.key IS NOT NULL ORDER BY x.key";
}

// Adds the unit sonic vector of `features` to sum.
void accumulate(const FeatureVector& features, const analysis::LibraryStats& stats,
                std::vector<float>& sum) {
    FeatureVector v = analysis::sonic_vector(features, stats);
    search::normalise(v);
    for (size_t i = 0; i < kFeatureCount; ++i)
        sum[i] += v[i];
}

std::pair<int64_t, search::VectorData> load(db::Pool& pool, SonicKey key) {
    static const std::string tracks = load_sql(SonicKey::kTrack),
                             artists = load_sql(SonicKey::kArtist),
                             albums = load_sql(SonicKey::kAlbum);
    const std::string& sql = key == SonicKey::kTrack    ? tracks
                             : key == SonicKey::kArtist ? artists
                                                        : albums;
    auto conn = pool.acquire();
    auto r = conn->exec(sql);
    std::pair<int64_t, search::VectorData> out{-1, {}};
    out.second.dimension = static_cast<int>(kFeatureCount);
    if (r.empty()) return out;
    out.first = r.int64(0, 0);
    std::vector<int64_t> keys;
    std::vector<FeatureVector> rows;
    for (int i = 0; i < r.rows(); ++i) {
        if (r.is_null(i, 2)) continue;
        FeatureVector f{};
        if (!parse_features(r.text(i, 3), f)) continue;
        keys.push_back(r.int64(i, 2));
        rows.push_back(f);
    }
    analysis::LibraryStats stats = analysis::library_stats(rows);
    // Rows come ordered by key: each run of one key is one entity (a track, or an artist's or
    // album's tracks), its vector the sum of its tracks' unit vectors (normalised by the index).
    std::vector<float> sum(kFeatureCount, 0.0f);
    for (size_t i = 0; i < rows.size(); ++i) {
        accumulate(rows[i], stats, sum);
        if (i + 1 == rows.size() || keys[i + 1] != keys[i]) {
            out.second.ids.push_back(keys[i]);
            out.second.values.insert(out.second.values.end(), sum.begin(), sum.end());
            std::fill(sum.begin(), sum.end(), 0.0f);
        }
    }
    if (key == SonicKey::kTrack && !rows.empty())
        conn->exec(
            "INSERT INTO sonic_stats (version, tracks, mean, stddev) VALUES ($1, $2, $3::real[], "
            "$4::real[]) ON CONFLICT (version) DO UPDATE SET tracks = EXCLUDED.tracks, mean = "
            "EXCLUDED.mean, stddev = EXCLUDED.stddev, computed_at = now()",
            db::Params(r.int64(0, 1), static_cast<int64_t>(rows.size()), real_array(stats.mean),
                       real_array(stats.stddev)));
    return out;
}

std::optional<search::VectorChanges> catch_up(db::Pool& pool, int64_t since) {
    static const std::string sql =
        std::string("WITH ") + kVersionCte +
        " SELECT s.generation, v.n, st.tracks, st.mean, st.stddev, a.track_id, a.features FROM "
        "sonic_set_state s JOIN v ON true LEFT JOIN sonic_stats st ON st.version = v.version "
        "LEFT JOIN track_analysis a ON a.version = v.version AND a.generation > $1 ORDER BY "
        "a.track_id";
    auto conn = pool.acquire();
    auto r = conn->exec(sql, db::Params(since));
    if (r.empty() || r.is_null(0, 2)) return std::nullopt;  // no rows, or no statistics yet
    auto n = static_cast<double>(r.int64(0, 1)), stats_tracks = static_cast<double>(r.int64(0, 2));
    if (std::abs(n - stats_tracks) > kStatsDrift * stats_tracks) return std::nullopt;
    analysis::LibraryStats stats;
    if (!parse_features(r.text(0, 3), stats.mean) || !parse_features(r.text(0, 4), stats.stddev))
        return std::nullopt;
    search::VectorChanges out;
    out.generation = r.int64(0, 0);
    out.expected_size = static_cast<size_t>(n);
    out.upserts.dimension = static_cast<int>(kFeatureCount);
    for (int i = 0; i < r.rows(); ++i) {
        if (r.is_null(i, 5)) continue;
        FeatureVector f{};
        if (!parse_features(r.text(i, 6), f)) continue;
        std::vector<float> v(kFeatureCount, 0.0f);
        accumulate(f, stats, v);
        out.upserts.ids.push_back(r.int64(i, 5));
        out.upserts.values.insert(out.upserts.values.end(), v.begin(), v.end());
    }
    return out;
}

}  // namespace

search::VectorSource sonic_source(db::Pool& pool, SonicKey key) {
    db::Pool* p = &pool;
    search::VectorSource source;
    source.load = [p, key] { return load(*p, key); };
    source.generation = [p]() -> int64_t {
        auto conn = p->acquire();
        return conn->exec("SELECT generation FROM sonic_set_state").int64(0, 0);
    };
    if (key == SonicKey::kTrack)
        source.catch_up = [p](int64_t since) { return catch_up(*p, since); };
    return source;
}

}  // namespace sonique::services
