// Migration 0021 (analysed values, docs/analysis.md "Values the tags lacked"): rows analysed
// before it get their BPM, key, loudness and ReplayGain, and sonique_camelot names the wheel.
#include <gtest/gtest.h>

#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

// A 64-value feature vector of analyser version 2 with the given key (pitch class, mode,
// confidence), tempo, integrated loudness and true peak.
std::string features(int key, int mode, double confidence, double tempo, double loudness,
                     double peak) {
    std::string out = "{";
    for (int i = 0; i < 64; ++i) {
        double v = 0.5;
        if (i == 54) v = key;
        if (i == 55) v = mode;
        if (i == 56) v = confidence;
        if (i == 57) v = tempo;
        if (i == 61) v = loudness;
        if (i == 63) v = peak;
        out += (i ? "," : "") + std::to_string(v);
    }
    return out + "}";
}

TEST(AnalysedValuesMigration, RowsAnalysedBeforeItGetTheirValues) {
    TestDatabase db("mig_analysed", false);
    db::Connection c({db.url(), 0, 5});
    c.exec_script(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
        "applied_at timestamptz NOT NULL DEFAULT now())");
    for (const auto& m : db::migrations()) {
        if (m.name == "analysed_values") break;
        c.exec_script(m.sql);
        c.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
               db::Params(m.version, m.name));
    }
    c.exec_script(
        "INSERT INTO artists (name) VALUES ('A'); "
        "INSERT INTO tracks (title, path, track_artist_id) SELECT t, '/m/' || t, a.id "
        "FROM artists a, unnest(ARRAY['music', 'silence']) t");
    c.exec(
        "INSERT INTO track_analysis (track_id, version, features, seconds_analysed) "
        "SELECT id, 2, CASE title WHEN 'music' THEN $1 ELSE $2 END::real[], 60 FROM tracks",
        db::Params(features(9, 1, 0.8, 120.04, -14.237, -1.0), features(0, 0, 0, 0, -70, -70)));
    EXPECT_GE(db::migrate(c), 1);

    auto r = c.exec(
        "SELECT v.bpm, v.key, v.scale, v.loudness, v.replaygain_track_gain, "
        "v.replaygain_track_peak "
        "FROM analysed_track_values v JOIN tracks t ON t.id = v.track_id ORDER BY t.title");
    ASSERT_EQ(r.rows(), 2);
    EXPECT_DOUBLE_EQ(r.dbl(0, 0), 120.0);
    EXPECT_EQ(r.str(0, 1), "A");
    EXPECT_EQ(r.str(0, 2), "major");
    EXPECT_DOUBLE_EQ(r.dbl(0, 3), -14.24);
    EXPECT_DOUBLE_EQ(r.dbl(0, 4), -3.76);
    EXPECT_NEAR(r.dbl(0, 5), 0.891251, 1e-6);
    for (int col = 0; col < 6; ++col)  // silence: no tempo, key, loudness or gain
        EXPECT_TRUE(r.is_null(1, col)) << col;
}

TEST(AnalysedValuesMigration, CamelotKeysFollowTheWheel) {
    TestDatabase db("mig_camelot");
    db::Connection c({db.url(), 0, 5});
    const std::pair<std::pair<const char*, const char*>, const char*> cases[] = {
        {{"C", "major"}, "8B"},  {{"A", "minor"}, "8A"},  {{"G", "major"}, "9B"},
        {{"E", "minor"}, "9A"},  {{"B", "major"}, "1B"},  {{"G#", "minor"}, "1A"},
        {{"Db", "major"}, "3B"}, {{"Bb", "minor"}, "3A"}, {{"F", "major"}, "7B"},
        {{"D", "minor"}, "7A"},  {{"E", "major"}, "12B"}, {{"C#", "minor"}, "12A"},
        {{"Cb", "major"}, "1B"}, {{"F#", "major"}, "2B"}};
    for (const auto& [in, want] : cases)
        EXPECT_EQ(
            c.exec("SELECT sonique_camelot($1, $2)", db::Params(in.first, in.second)).str(0, 0),
            want)
            << in.first << " " << in.second;
    for (const auto& [key, scale] : {std::pair{"8A", "minor"},
                                     {"A", "dorian"},
                                     {"H", "major"},
                                     {"A#m", "minor"},
                                     {"", "major"}})
        EXPECT_TRUE(c.exec("SELECT sonique_camelot($1, $2)", db::Params(key, scale)).is_null(0, 0))
            << key << " " << scale;
    EXPECT_TRUE(c.exec("SELECT sonique_camelot('A', NULL)").is_null(0, 0));
}

}  // namespace
}  // namespace sonique::test
