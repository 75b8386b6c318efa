// Migrations 0005 and 0006: the link tables' references and the tracks' own (artist, album),
// checked per statement by triggers, keep what their foreign keys guaranteed: no reference to a
// missing row (also under concurrent deletes), links and tracks go with the rows they point to
// (a track's album is set to NULL), and TRUNCATE reaches them.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "db/connection.hpp"
#include "db/errors.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

using namespace std::chrono_literals;

class LinkReferences : public ::testing::Test {
  protected:
    // A statement timeout, so that a lock that is never released fails the test.
    LinkReferences() : db_("link_refs"), c_({db_.url(), 10000, 5}) {}

    void SetUp() override {
        c_.exec_script(
            "INSERT INTO artists (id, name) VALUES (1, 'A'), (2, 'B');"
            "INSERT INTO tracks (id, title, path, track_artist_id) VALUES "
            "(10, 't10', '/m/10', 1), (11, 't11', '/m/11', 2);"
            "INSERT INTO genres (id, name) VALUES (20, 'Rock'), (21, 'Jazz');"
            "INSERT INTO genre_tags (id, name) VALUES (30, 'rock'), (31, 'jazz');"
            "INSERT INTO mood_tags (id, name) VALUES (40, 'happy'), (41, 'sad');"
            "INSERT INTO track_artists (track_id, artist_id, position) VALUES "
            "(10, 1, 0), (10, 2, 1), (11, 2, 0);"
            "INSERT INTO track_genres (track_id, genre_id) VALUES (10, 20), (11, 21);"
            "INSERT INTO track_genre_tags (track_id, tag_id) VALUES (10, 30), (11, 31);"
            "INSERT INTO track_mood_tags (track_id, tag_id) VALUES (10, 40), (11, 41);");
    }

    int64_t count(const std::string& sql) { return c_.exec(sql).int64(0, 0); }

    // Waits until the backend pid waits for a lock (at most 10 s): the race under test is then
    // really happening, whatever the machine's load.
    bool waits_for_lock(int64_t pid) {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (count("SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(pid) +
                      " AND wait_event_type = 'Lock'") == 1)
                return true;
            std::this_thread::sleep_for(10ms);
        }
        return false;
    }

    // Runs sql and returns the SQLSTATE it failed with ("" when it succeeded).
    static std::string state_of(db::Connection& c, const std::string& sql) {
        try {
            c.exec(sql);
            return "";
        } catch (const db::DbError& e) {
            return e.sqlstate();
        }
    }

    TestDatabase db_;
    db::Connection c_;
};

TEST_F(LinkReferences, RefuseLinksToMissingRowsAsAForeignKeyWould) {
    const char* refused[] = {
        "INSERT INTO track_artists (track_id, artist_id, position) VALUES (99, 1, 0)",
        "INSERT INTO track_artists (track_id, artist_id, position) VALUES (11, 99, 1)",
        "INSERT INTO track_genres (track_id, genre_id) VALUES (99, 20)",
        "INSERT INTO track_genres (track_id, genre_id) VALUES (10, 99)",
        "INSERT INTO track_genre_tags (track_id, tag_id) VALUES (99, 30)",
        "INSERT INTO track_genre_tags (track_id, tag_id) VALUES (10, 99)",
        "INSERT INTO track_mood_tags (track_id, tag_id) VALUES (99, 40)",
        "INSERT INTO track_mood_tags (track_id, tag_id) VALUES (10, 99)",
        // One missing row among good ones fails the whole statement.
        "INSERT INTO track_genres (track_id, genre_id) VALUES (10, 21), (11, 20), (11, 99)",
        "UPDATE track_artists SET artist_id = 99 WHERE track_id = 11",
        "UPDATE track_mood_tags SET track_id = 99 WHERE track_id = 11",
    };
    for (const char* sql : refused)
        EXPECT_EQ(state_of(c_, sql), "23503") << sql;
    try {
        c_.exec("INSERT INTO track_genres (track_id, genre_id) VALUES (99, 20)");
        ADD_FAILURE() << "a link to a missing track was inserted";
    } catch (const db::DbError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kConflict);  // mapped as a foreign key's error
    }
    // An upsert that updates a link checks it too.
    EXPECT_EQ(state_of(c_,
                       "INSERT INTO track_artists (track_id, artist_id, position) VALUES "
                       "(10, 99, 0) ON CONFLICT (track_id, position) DO UPDATE SET "
                       "artist_id = EXCLUDED.artist_id"),
              "23503");
    // Rows the same transaction inserted can be linked at once.
    c_.exec("BEGIN");
    c_.exec("INSERT INTO tracks (id, title, path, track_artist_id) VALUES (12, 't', '/m/12', 1)");
    EXPECT_EQ(state_of(c_, "INSERT INTO track_genres (track_id, genre_id) VALUES (12, 20)"), "");
    c_.exec("COMMIT");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 12"), 1);
    c_.exec("DELETE FROM tracks WHERE id = 12");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM track_artists WHERE artist_id = 99"), 0);
    EXPECT_EQ(state_of(c_,
                       "INSERT INTO track_genres (track_id, genre_id) VALUES (10, 21), "
                       "(11, 20)"),
              "");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 4);
}

TEST_F(LinkReferences, DeletesTakeTheirLinksAndOnlyThem) {
    c_.exec("DELETE FROM tracks WHERE id = 10");
    EXPECT_EQ(count("SELECT count(*) FROM track_artists"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 10"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_genre_tags WHERE track_id = 10"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_mood_tags WHERE track_id = 10"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 11"), 1);
    c_.exec("DELETE FROM genres WHERE id = 21");
    c_.exec("DELETE FROM genre_tags WHERE id = 31");
    c_.exec("DELETE FROM mood_tags WHERE id = 41");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_genre_tags"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_mood_tags"), 0);
    // An artist's delete cascades to its tracks (a foreign key) and to their links (the
    // tracks' trigger: track 11's link to artist 1 goes too), and to its own links.
    c_.exec("INSERT INTO track_artists (track_id, artist_id, position) VALUES (11, 1, 1)");
    c_.exec("DELETE FROM artists WHERE id = 2");
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_artists"), 0);
}

TEST_F(LinkReferences, TruncateReachesTheLinks) {
    c_.exec("TRUNCATE genres");
    EXPECT_EQ(count("SELECT count(*) FROM track_genres"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_artists"), 3);
    c_.exec("TRUNCATE artists CASCADE");
    for (const char* t : {"tracks", "track_artists", "track_genre_tags", "track_mood_tags"})
        EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + t), 0) << t;
}

TEST_F(LinkReferences, ATruncateMayNameTheLinkTablesToo) {
    EXPECT_EQ(state_of(c_, "TRUNCATE genres, track_genres"), "");
    EXPECT_EQ(state_of(c_, "TRUNCATE tracks, track_artists, track_genre_tags CASCADE"), "");
    for (const char* t : {"track_genres", "track_artists", "track_genre_tags", "track_mood_tags"})
        EXPECT_EQ(count(std::string("SELECT count(*) FROM ") + t), 0) << t;
}

TEST_F(LinkReferences, ADeleteWaitsForALinkBeingAddedThenTakesIt) {
    db::Connection other({db_.url(), 10000, 5});
    int64_t other_pid = other.exec("SELECT pg_backend_pid()").int64(0, 0);
    c_.exec("BEGIN");
    c_.exec("INSERT INTO track_genres (track_id, genre_id) VALUES (11, 20)");
    auto deleter =
        std::async(std::launch::async, [&] { other.exec("DELETE FROM tracks WHERE id = 11"); });
    bool waited = waits_for_lock(other_pid);  // the new link locked the track
    c_.exec("COMMIT");
    deleter.get();
    EXPECT_TRUE(waited);
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 11"), 0);
}

TEST_F(LinkReferences, ALinkToARowDeletedMeanwhileIsRefused) {
    db::Connection other({db_.url(), 10000, 5});
    db::Connection linker_conn({db_.url(), 10000, 5});
    int64_t linker_pid = linker_conn.exec("SELECT pg_backend_pid()").int64(0, 0);
    other.exec("BEGIN");
    other.exec("DELETE FROM tracks WHERE id = 11");
    auto linker = std::async(std::launch::async, [&] {
        return state_of(linker_conn,
                        "INSERT INTO track_genres (track_id, genre_id) VALUES (11, 20)");
    });
    bool waited = waits_for_lock(linker_pid);  // for the deleting transaction
    other.exec("COMMIT");
    EXPECT_EQ(linker.get(), "23503");
    EXPECT_TRUE(waited);
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 11"), 0);
}

TEST_F(LinkReferences, RefuseTracksWithAMissingArtistOrAlbum) {
    c_.exec("INSERT INTO albums (id, title, album_artist_id) VALUES (50, 'Al', 1)");
    const char* refused[] = {
        "INSERT INTO tracks (title, path, track_artist_id) VALUES ('t', '/m/a', 99)",
        "INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES ('t', '/m/b', 1, 99)",
        // One missing row among good ones fails the whole statement.
        "INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES "
        "('t', '/m/c', 1, 50), ('t', '/m/d', 2, NULL), ('t', '/m/e', 99, 50)",
        "UPDATE tracks SET track_artist_id = 99 WHERE id = 10",
        "UPDATE tracks SET album_id = 99 WHERE id = 11",
        // The scanner's upsert, on its update side.
        "INSERT INTO tracks (title, path, track_artist_id) VALUES ('t', '/m/10', 99) "
        "ON CONFLICT (path) DO UPDATE SET track_artist_id = EXCLUDED.track_artist_id",
    };
    for (const char* sql : refused)
        EXPECT_EQ(state_of(c_, sql), "23503") << sql;
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE track_artist_id = 99 OR album_id = 99"), 0);
    // A NULL album refers to nothing; rows of the same transaction can be referred to at once.
    c_.exec("BEGIN");
    c_.exec("INSERT INTO artists (id, name) VALUES (3, 'C')");
    c_.exec("INSERT INTO albums (id, title, album_artist_id) VALUES (51, 'New', 3)");
    EXPECT_EQ(state_of(c_,
                       "INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES "
                       "('t', '/m/f', 3, 51), ('t', '/m/g', 3, NULL)"),
              "");
    c_.exec("COMMIT");
    EXPECT_EQ(state_of(c_, "UPDATE tracks SET album_id = 50, title = 'x' WHERE id = 10"), "");
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 4);
}

TEST_F(LinkReferences, DeletingArtistsAndAlbumsReachesTheirTracks) {
    c_.exec_script(
        "INSERT INTO albums (id, title, album_artist_id) VALUES (50, 'A1', 1), (51, 'B1', 2);"
        "UPDATE tracks SET album_id = 50 WHERE id = 10;"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
        "(12, 't12', '/m/12', 2, 50), (13, 't13', '/m/13', 2, 51);");
    // An album's delete keeps its tracks, without an album (ON DELETE SET NULL).
    c_.exec("DELETE FROM albums WHERE id = 51");
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE id = 13 AND album_id IS NULL"), 1);
    // Artist 1's delete takes its album 50 (a foreign key) and its track 10 with its links
    // (0006, then 0005); track 12, artist 2's, stays without an album. Its references are
    // unchanged by that, so they are not checked: artist 1 is already gone at that point.
    c_.exec("DELETE FROM artists WHERE id = 1");
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE id = 10"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM track_genres WHERE track_id = 10"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM albums"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE id = 12 AND album_id IS NULL"), 1);
    EXPECT_EQ(count("SELECT sonique_row_count('tracks')"), 3);
    c_.exec("TRUNCATE albums");
    EXPECT_EQ(count("SELECT count(*) FROM tracks"), 0);
    EXPECT_EQ(count("SELECT sonique_row_count('tracks')"), 0);
}

TEST_F(LinkReferences, AnArtistDeleteWaitsForATrackBeingAddedThenTakesIt) {
    db::Connection other({db_.url(), 10000, 5});
    int64_t other_pid = other.exec("SELECT pg_backend_pid()").int64(0, 0);
    c_.exec("BEGIN");
    c_.exec("INSERT INTO tracks (id, title, path, track_artist_id) VALUES (12, 't', '/m/12', 1)");
    auto deleter =
        std::async(std::launch::async, [&] { other.exec("DELETE FROM artists WHERE id = 1"); });
    bool waited = waits_for_lock(other_pid);  // the new track locked its artist
    c_.exec("COMMIT");
    deleter.get();
    EXPECT_TRUE(waited);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE track_artist_id = 1"), 0);
}

TEST_F(LinkReferences, ATrackOfAnArtistDeletedMeanwhileIsRefused) {
    db::Connection other({db_.url(), 10000, 5});
    db::Connection writer_conn({db_.url(), 10000, 5});
    int64_t writer_pid = writer_conn.exec("SELECT pg_backend_pid()").int64(0, 0);
    other.exec("BEGIN");
    other.exec("DELETE FROM artists WHERE id = 2");
    auto writer = std::async(std::launch::async, [&] {
        return state_of(writer_conn,
                        "INSERT INTO tracks (title, path, track_artist_id) VALUES "
                        "('t', '/m/z', 2)");
    });
    bool waited = waits_for_lock(writer_pid);  // for the deleting transaction
    other.exec("COMMIT");
    EXPECT_EQ(writer.get(), "23503");
    EXPECT_TRUE(waited);
    EXPECT_EQ(count("SELECT count(*) FROM tracks WHERE track_artist_id = 2"), 0);
}

}  // namespace
}  // namespace sonique::test
