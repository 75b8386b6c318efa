// The playbackReport extension: reportPlayback's states, positions and rates as getNowPlaying
// shows them (JSON and XML), the plays it counts (a stopped session heard long enough, once),
// the scrobbling role and hostile input. Clocks are moved by ageing the stored report.
#include <gtest/gtest.h>

#include <thread>

#include "annotations_support.hpp"

namespace sonique::test {
namespace {

Json ok(SubsonicServer& s, const std::string& method, const Query& q) {
    Json r = s.json(method, q);
    EXPECT_EQ(r["status"], "ok") << method << ": " << r.dump();
    return r;
}

// A report of `state` at `position` ms by the player "Pod" (more pairs in `extra`).
Json report(SubsonicServer& s, const Query& who, const std::string& id, const std::string& state,
            int64_t position, const Query& extra = {}) {
    return s.json("reportPlayback", who +
                                        Query{{"mediaId", id},
                                              {"mediaType", "song"},
                                              {"state", state},
                                              {"positionMs", std::to_string(position)},
                                              {"c", "Pod"}} +
                                        extra);
}

// Moves the user's reports `seconds` into the past, as if that much time had passed.
void age(SubsonicServer& s, const std::string& user, double seconds) {
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec(
        "UPDATE now_playing SET updated_at = updated_at - make_interval(secs => $2) "
        "WHERE user_id = $1",
        db::Params(user_id(s, user), seconds));
}

int64_t plays(SubsonicServer& s, const std::string& user, const char* table, const char* column,
              int64_t id) {
    return count_rows(s, std::string("SELECT COALESCE((SELECT play_count FROM ") + table +
                             " WHERE user_id = " + std::to_string(user_id(s, user)) + " AND " +
                             column + " = " + std::to_string(id) + "), 0)");
}

// The user's entry in getNowPlaying (read by `reader`), or null.
Json entry_of(SubsonicServer& s, const Query& reader, const std::string& user) {
    Json answer = ok(s, "getNowPlaying", reader);  // kept: the loop reads into it
    for (const auto& e : answer["nowPlaying"]["entry"])
        if (e["username"] == user) return e;
    return nullptr;
}

TEST(SubsonicPlaybackReport, StatesPositionsAndRatesInGetNowPlaying) {
    auto& s = shared_server();
    fill_annotations(s);
    Query a = as_user(s, "pb-show-a"), b = as_user(s, "pb-show-b");
    ok(s, "reportPlayback",
       a + Query{{"mediaId", "tr-9301"},
                 {"mediaType", "song"},
                 {"state", "starting"},
                 {"positionMs", "0"},
                 {"c", "Pod"}});
    Json e = entry_of(s, b, "pb-show-a");
    ASSERT_TRUE(e.is_object());
    EXPECT_EQ(e["id"], "tr-9301");
    EXPECT_EQ(e["state"], "starting");
    EXPECT_EQ(e["positionMs"], 0);
    EXPECT_EQ(e["playbackRate"], 1);
    EXPECT_EQ(e["playerName"], "Pod");
    EXPECT_TRUE(e["playerId"].is_number_integer());
    // Starting does not move the clock (buffering).
    age(s, "pb-show-a", 30);
    EXPECT_EQ(entry_of(s, b, "pb-show-a")["positionMs"], 0);
    // Playing at 1.5x from 10 s: 20 s later the server estimates 40 s.
    ok(s, "reportPlayback",
       a + Query{{"mediaId", "tr-9301"},
                 {"mediaType", "song"},
                 {"state", "playing"},
                 {"positionMs", "10000"},
                 {"playbackRate", "1.5"},
                 {"c", "Pod"}});
    age(s, "pb-show-a", 20);
    e = entry_of(s, b, "pb-show-a");
    EXPECT_EQ(e["state"], "playing");
    EXPECT_EQ(e["playbackRate"], 1.5);
    ASSERT_TRUE(e["positionMs"].is_number_integer());
    EXPECT_NEAR(e["positionMs"].get<double>(), 40000, 2000);
    XmlNode x = s.xml("getNowPlaying", b);
    const XmlNode* mine = nullptr;
    for (const XmlNode* n : x.first(ns("nowPlaying"))->all(ns("entry")))
        if (n->attrs.at("username") == "pb-show-a") mine = n;
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(mine->attrs.at("state"), "playing");
    EXPECT_EQ(mine->attrs.at("playbackRate"), "1.5");
    EXPECT_NEAR(std::stod(mine->attrs.at("positionMs")), 40000, 2000);
    // Never past the song's end (200 s).
    age(s, "pb-show-a", 150);
    EXPECT_EQ(entry_of(s, b, "pb-show-a")["positionMs"], 200000);
    // Paused: the position stays.
    report(s, a, "tr-9301", "paused", 61000);
    age(s, "pb-show-a", 600);
    e = entry_of(s, b, "pb-show-a");
    EXPECT_EQ(e["state"], "paused");
    EXPECT_EQ(e["positionMs"], 61000);
    // Stopped: no longer playing, not shown.
    report(s, a, "tr-9301", "stopped", 61000);
    EXPECT_TRUE(entry_of(s, b, "pb-show-a").is_null());
    // A scrobble's report (submission=false) on the same player has no timeline fields.
    ok(s, "scrobble", a + Query{{"id", "tr-9302"}, {"submission", "false"}, {"c", "Pod"}});
    e = entry_of(s, b, "pb-show-a");
    ASSERT_TRUE(e.is_object());
    EXPECT_EQ(e["id"], "tr-9302");
    EXPECT_FALSE(e.contains("state") || e.contains("positionMs") || e.contains("playbackRate"));
    // Paused for more than 30 minutes: gone.
    report(s, a, "tr-9302", "paused", 1000);
    age(s, "pb-show-a", 1801);
    EXPECT_TRUE(entry_of(s, b, "pb-show-a").is_null());
}

TEST(SubsonicPlaybackReport, AStoppedSessionHeardLongEnoughCountsOnePlay) {
    auto& s = shared_server();
    fill_annotations(s);
    const std::string u = "pb-count";
    Query a = as_user(s, u);
    // tr-9301 lasts 200 s: half of it (100 s) must be heard while playing.
    report(s, a, "tr-9301", "starting", 0);
    age(s, u, 300);  // buffering is not listening
    report(s, a, "tr-9301", "playing", 0);
    age(s, u, 60);
    report(s, a, "tr-9301", "paused", 60000);
    age(s, u, 600);  // nor is a pause
    report(s, a, "tr-9301", "playing", 60000);
    age(s, u, 30);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 0) << "only stopped counts";
    report(s, a, "tr-9301", "stopped", 90000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 0) << "90 s heard of 100";
    // A new session: 110 s heard, then stopped: one play, for the song and its album, with
    // `played` set in getSong.
    report(s, a, "tr-9301", "starting", 0);
    report(s, a, "tr-9301", "playing", 0);
    age(s, u, 110);
    report(s, a, "tr-9301", "stopped", 110000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 1);
    EXPECT_EQ(plays(s, u, "user_album_data", "album_id", 9301), 1);
    Json song = ok(s, "getSong", a + Query{{"id", "tr-9301"}})["song"];
    EXPECT_EQ(song["playCount"], 1);
    EXPECT_TRUE(is_iso_time(song["played"]));
    // The same stop again, or a pause and stop without `starting`: still one.
    report(s, a, "tr-9301", "stopped", 110000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 1);
    // Playing at 2x: 60 s of wall time are 120 s of the song.
    report(s, a, "tr-9301", "starting", 0);
    report(s, a, "tr-9301", "playing", 0, {{"playbackRate", "2"}});
    age(s, u, 60);
    report(s, a, "tr-9301", "stopped", 120000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 2);
    // ignoreScrobble on any report of the session: nothing counted.
    report(s, a, "tr-9301", "starting", 0);
    report(s, a, "tr-9301", "playing", 0, {{"ignoreScrobble", "true"}});
    age(s, u, 150);
    report(s, a, "tr-9301", "stopped", 150000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 2);
    // No report for 30 minutes past the planned end: the session is no longer listened to.
    report(s, a, "tr-9301", "starting", 0);
    report(s, a, "tr-9301", "playing", 0);
    age(s, u, 200 + 1830);
    report(s, a, "tr-9301", "stopped", 200000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9301), 2);
    // Another song without `starting` opens its own session: tr-9302 lasts 100 s.
    report(s, a, "tr-9302", "playing", 0);
    age(s, u, 50);
    report(s, a, "tr-9302", "stopped", 50000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9302), 1);
    // A song without an album (tr-9305, 500 s): four minutes are enough.
    report(s, a, "tr-9305", "starting", 0);
    report(s, a, "tr-9305", "playing", 0);
    age(s, u, 240);
    report(s, a, "tr-9305", "stopped", 240000);
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9305), 1);
}

TEST(SubsonicPlaybackReport, ConcurrentStopsOfOneSessionCountOnce) {
    auto& s = shared_server();
    fill_annotations(s);
    const std::string u = "pb-race";
    Query a = as_user(s, u);
    report(s, a, "tr-9303", "starting", 0);
    report(s, a, "tr-9303", "playing", 0);
    age(s, u, 200);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&] { report(s, a, "tr-9303", "stopped", 200000); });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(plays(s, u, "user_track_data", "track_id", 9303), 1);
    EXPECT_EQ(plays(s, u, "user_album_data", "album_id", 9302), 1);
}

TEST(SubsonicPlaybackReport, RolesAndHostileInputAnswerErrorsAndWriteNothing) {
    auto& s = shared_server();
    fill_annotations(s);
    Query none = as_user(s, "pb-no-role", false);
    EXPECT_EQ(code(report(s, none, "tr-9301", "playing", 0)), 50);
    XmlNode x = s.xml("reportPlayback", none + Query{{"mediaId", "tr-9301"},
                                                     {"mediaType", "song"},
                                                     {"state", "playing"},
                                                     {"positionMs", "0"}});
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "50");
    const std::string u = "pb-hostile";
    Query a = as_user(s, u);
    Query full = {
        {"mediaId", "tr-9301"}, {"mediaType", "song"}, {"state", "playing"}, {"positionMs", "0"}};
    for (const char* missing : {"mediaId", "mediaType", "state", "positionMs"}) {
        Query q;
        for (const auto& p : full)
            if (p.first != missing) q.push_back(p);
        EXPECT_EQ(code(s.json("reportPlayback", a + q)), 10) << missing;
    }
    auto with = [&](const std::string& key, const std::string& value) {
        Query q;
        for (const auto& p : full)
            q.emplace_back(p.first, p.first == key ? value : p.second);
        if (key == "playbackRate" || key == "ignoreScrobble") q.emplace_back(key, value);
        return code(s.json("reportPlayback", a + q));
    };
    EXPECT_EQ(with("mediaId", "al-9301"), 70) << "an album's id";
    EXPECT_EQ(with("mediaId", "tr-99999999"), 70);
    EXPECT_EQ(with("mediaId", "9301"), 70);
    EXPECT_EQ(with("mediaType", "podcast"), 70) << "no podcasts are served";
    for (const char* bad : {"video", "Song"})
        EXPECT_EQ(with("mediaType", bad), 0) << bad;
    for (const char* bad : {"Playing", "rewinding", "playing "})
        EXPECT_EQ(with("state", bad), 0) << bad;
    for (const char* bad : {"-1", "1.5", "abc", "99999999999999999999", "31622400001"})
        EXPECT_EQ(with("positionMs", bad), 0) << bad;
    for (const char* bad : {"0", "-1", "nan", "inf", "17", "abc", "1e400"})
        EXPECT_EQ(with("playbackRate", bad), 0) << bad;
    EXPECT_EQ(with("ignoreScrobble", "maybe"), 0);
    EXPECT_EQ(count_rows(s, "SELECT count(*) FROM now_playing WHERE user_id = " +
                                std::to_string(user_id(s, u))),
              0);
    // Valid edge values are accepted.
    EXPECT_EQ(with("playbackRate", "0.25"), -1);
    EXPECT_EQ(with("positionMs", "31622400000"), -1);
}

}  // namespace
}  // namespace sonique::test
