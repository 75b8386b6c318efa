// averageRating: every user's ratings of a song (Child) or an album (the album as a Child with
// isDir), averaged in the answer's statement, in both formats; a new rating is seen at once by
// every user, also in answers cached for another user.
#include <gtest/gtest.h>

#include <cmath>
#include <utility>

#include "annotations_support.hpp"
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"

namespace sonique::test {
namespace {

Json ok(SubsonicServer& s, const std::string& method, const Query& q) {
    Json r = s.json(method, q);
    EXPECT_EQ(r["status"], "ok") << method << ": " << r.dump();
    return r;
}

// The album al-9302 as getAlbumList (non-ID3) shows it to `who`.
Json album_child(SubsonicServer& s, const Query& who) {
    Json list = ok(s, "getAlbumList", who + Query{{"type", "alphabeticalByName"}, {"size", "500"}});
    for (const auto& a : list["albumList"]["album"])
        if (a["id"] == "al-9302") return a;
    ADD_FAILURE() << "al-9302 not listed: " << list.dump();
    return Json::object();
}

// Other suites of the shared server rate these entities too: the sum and count of the ratings
// made by users other than this test's, to add this test's to.
std::pair<int64_t, int64_t> others(SubsonicServer& s, const std::string& table,
                                   const std::string& column, int id) {
    std::string where = " FROM " + table + " WHERE " + column + " = " + std::to_string(id) +
                        " AND rating IS NOT NULL AND user_id NOT IN (SELECT id FROM users WHERE "
                        "name LIKE 'avg-%')";
    return {count_rows(s, "SELECT COALESCE(sum(rating), 0)" + where),
            count_rows(s, "SELECT count(*)" + where)};
}

TEST(SubsonicRatings, AverageRatingOfSongsAndAlbums) {
    auto& s = shared_server();
    fill_annotations(s);
    Query ann = as_user(s, "avg-ann"), ben = as_user(s, "avg-ben"), cid = as_user(s, "avg-cid");
    auto [song_sum, song_n] = others(s, "user_track_data", "track_id", 9303);
    auto [album_sum, album_n] = others(s, "user_album_data", "album_id", 9302);
    // Nobody rated it: no averageRating (an optional field is left out).
    if (song_n == 0) {
        EXPECT_FALSE(
            ok(s, "getSong", cid + Query{{"id", "tr-9303"}})["song"].contains("averageRating"));
    }
    // cid's cached album (getAlbum is cached) must follow the others' ratings.
    ASSERT_EQ(ok(s, "getAlbum", cid + Query{{"id", "al-9302"}})["album"]["song"].size(), 1u);
    ok(s, "setRating", ann + Query{{"id", "tr-9303"}, {"rating", "4"}});
    ok(s, "setRating", ben + Query{{"id", "tr-9303"}, {"rating", "5"}});
    ok(s, "setRating", ann + Query{{"id", "al-9302"}, {"rating", "1"}});
    ok(s, "setRating", ben + Query{{"id", "al-9302"}, {"rating", "2"}});
    ok(s, "setRating", cid + Query{{"id", "al-9302"}, {"rating", "2"}});
    auto average = [](int64_t sum, int64_t n) {
        return std::round(100.0 * static_cast<double>(sum) / static_cast<double>(n)) / 100.0;
    };
    Json song = ok(s, "getSong", cid + Query{{"id", "tr-9303"}})["song"];
    EXPECT_DOUBLE_EQ(song["averageRating"].get<double>(), average(song_sum + 9, song_n + 2))
        << song.dump();
    Json in_album = ok(s, "getAlbum", cid + Query{{"id", "al-9302"}})["album"]["song"][0];
    EXPECT_DOUBLE_EQ(in_album["averageRating"].get<double>(), average(song_sum + 9, song_n + 2))
        << in_album.dump();
    Json album = album_child(s, ann);
    EXPECT_DOUBLE_EQ(album["averageRating"].get<double>(), average(album_sum + 5, album_n + 3))
        << album.dump();
    EXPECT_EQ(album["userRating"], 1);
    if (song_n == 0) {
        EXPECT_FALSE(song.contains("userRating")) << "cid did not rate the song";
        XmlNode x = s.xml("getSong", ben + Query{{"id", "tr-9303"}});
        ASSERT_NE(x.first(ns("song")), nullptr);
        EXPECT_EQ(x.first(ns("song"))->attrs.at("averageRating"), "4.5");
    }
    // A rating removed (0) leaves the others' average.
    ok(s, "setRating", ben + Query{{"id", "tr-9303"}, {"rating", "0"}});
    EXPECT_DOUBLE_EQ(
        ok(s, "getAlbum", cid + Query{{"id", "al-9302"}})["album"]["song"][0]["averageRating"]
            .get<double>(),
        average(song_sum + 4, song_n + 1));
    ok(s, "setRating", ann + Query{{"id", "tr-9303"}, {"rating", "0"}});
    if (song_n == 0) {
        EXPECT_FALSE(
            ok(s, "getSong", cid + Query{{"id", "tr-9303"}})["song"].contains("averageRating"));
    }
    for (const Query& who : {ann, ben, cid})
        ok(s, "setRating", who + Query{{"id", "al-9302"}, {"rating", "0"}});
}

// search3 builds a page's songs from joins over the page (a library sync), getSong song by song:
// every song of the pages, with this user's star, rating and plays and another's rating, must be
// the same object in both.
TEST(SubsonicRatings, SearchPageSongsEqualGetSong) {
    auto& s = shared_server();
    fill_annotations(s);
    Query dee = as_user(s, "avg-dee"), eve = as_user(s, "avg-eve");
    ok(s, "star", dee + Query{{"id", "tr-9303"}});
    ok(s, "setRating", dee + Query{{"id", "tr-9303"}, {"rating", "3"}});
    ok(s, "setRating", eve + Query{{"id", "tr-9303"}, {"rating", "4"}});
    ok(s, "scrobble", dee + Query{{"id", "tr-9303"}, {"submission", "true"}});
    size_t compared = 0;
    bool seen = false;
    for (int offset = 0;; offset += 200) {
        Json page = ok(s, "search3",
                       dee + Query{{"query", ""},
                                   {"artistCount", "0"},
                                   {"albumCount", "0"},
                                   {"songCount", "200"},
                                   {"songOffset", std::to_string(offset)}});
        const Json& songs = page["searchResult3"]["song"];
        for (const auto& song : songs) {
            if (song["id"] != "tr-9303" && compared >= 60) continue;
            seen = seen || song["id"] == "tr-9303";
            Json one = ok(s, "getSong", dee + Query{{"id", song["id"].get<std::string>()}})["song"];
            EXPECT_EQ(song, one) << song["id"];
            ++compared;
        }
        if (songs.size() < 200) break;
    }
    EXPECT_TRUE(seen) << "tr-9303 not in search3's pages";
    ok(s, "unstar", dee + Query{{"id", "tr-9303"}});
    for (const Query& who : {dee, eve})
        ok(s, "setRating", who + Query{{"id", "tr-9303"}, {"rating", "0"}});
}

// getRandomSongs and getSongsByGenre build their songs from joins over the answer's page too:
// each song, with this user's star, rating and plays and another's rating, is getSong's object,
// and the answer keeps its order (by id for getSongsByGenre, across pages).
TEST(SubsonicRatings, SongListsEqualGetSong) {
    auto& s = shared_server();
    fill_annotations(s);
    Query fay = as_user(s, "avg-fay"), gus = as_user(s, "avg-gus");
    ok(s, "star", fay + Query{{"id", "tr-9303"}});
    ok(s, "setRating", fay + Query{{"id", "tr-9303"}, {"rating", "2"}});
    ok(s, "setRating", gus + Query{{"id", "tr-9303"}, {"rating", "5"}});
    ok(s, "scrobble", fay + Query{{"id", "tr-9303"}, {"submission", "true"}});
    // A genre of this test's own (two genres on tr-9303, two credited artists on tr-9304) and a
    // mood, so that every aggregated list of the page has something to show.
    const std::string genre = "Ratedlistgenre";
    {
        auto conn = s.server().runtime().services().pool.acquire();
        conn->exec_script(
            "INSERT INTO genres (id, name) VALUES (9391, 'Ratedlistgenre'), (9392, "
            "'Ratedlistother') ON "
            "CONFLICT DO NOTHING;"
            "INSERT INTO track_genres (track_id, genre_id, position) VALUES (9301, 9391, 0), "
            "(9303, 9392, 0), (9303, 9391, 1), (9304, 9391, 0) ON CONFLICT DO NOTHING;"
            "INSERT INTO mood_tags (name) VALUES ('ratedlistmood') ON CONFLICT DO NOTHING;"
            "INSERT INTO track_mood_tags (track_id, tag_id) SELECT 9303, id FROM mood_tags WHERE "
            "name = 'ratedlistmood' ON CONFLICT DO NOTHING;");
    }
    s.server().runtime().services().cache.invalidate({cache::ns::kLibrary});
    auto same_as_get_song = [&](const Json& songs, const std::string& what) {
        for (const auto& song : songs)
            EXPECT_EQ(song,
                      ok(s, "getSong", fay + Query{{"id", song["id"].get<std::string>()}})["song"])
                << what << " " << song["id"];
    };
    Json by_genre = ok(s, "getSongsByGenre",
                       fay + Query{{"genre", genre}, {"count", "500"}})["songsByGenre"]["song"];
    same_as_get_song(by_genre, "getSongsByGenre");
    bool seen = false;
    for (size_t i = 0; i < by_genre.size(); ++i) {
        seen = seen || by_genre[i]["id"] == "tr-9303";
        Json one = ok(s, "getSongsByGenre",
                      fay + Query{{"genre", genre}, {"count", "1"}, {"offset", std::to_string(i)}});
        ASSERT_EQ(one["songsByGenre"]["song"].size(), 1u);
        EXPECT_EQ(one["songsByGenre"]["song"][0], by_genre[i]) << "offset " << i;
    }
    EXPECT_TRUE(seen) << "tr-9303 not in its genre's songs";
    EXPECT_EQ(by_genre.size(), 3u);
    Json random =
        ok(s, "getRandomSongs", fay + Query{{"genre", genre}, {"size", "500"}})["randomSongs"];
    EXPECT_EQ(random["song"].size(), by_genre.size());
    same_as_get_song(random["song"], "getRandomSongs");
    same_as_get_song(ok(s, "getRandomSongs", fay + Query{{"size", "40"}})["randomSongs"]["song"],
                     "getRandomSongs");
    ok(s, "unstar", fay + Query{{"id", "tr-9303"}});
    for (const Query& who : {fay, gus})
        ok(s, "setRating", who + Query{{"id", "tr-9303"}, {"rating", "0"}});
}

}  // namespace
}  // namespace sonique::test
