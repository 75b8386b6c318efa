// Migration 0011: the per-user rows' references to songs, albums and artists, checked per
// statement by 0005/0006's triggers, keep what foreign keys would: no row for a missing entity,
// rows deleted with their entity or user, and TRUNCATE (also of albums, which no foreign key
// refers to) reaching them.
#include <gtest/gtest.h>

#include <string>

#include "db/connection.hpp"
#include "db/errors.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

class UserDataReferences : public ::testing::Test {
  protected:
    UserDataReferences() : db_("user_data_refs"), c_({db_.url(), 10000, 5}) {}

    void SetUp() override {
        c_.exec_script(
            "INSERT INTO artists (id, name) VALUES (1, 'A'), (2, 'B');"
            "INSERT INTO albums (id, title, album_artist_id) VALUES (5, 'X', 1), (6, 'Y', 2);"
            "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
            "(10, 't10', '/m/10', 1, 5), (11, 't11', '/m/11', 2, 6);"
            "INSERT INTO users (id, name, password_enc) VALUES (1, 'u1', 'x'), (2, 'u2', 'x');"
            "INSERT INTO user_track_data (user_id, track_id, play_count) VALUES "
            "(1, 10, 1), (1, 11, 1), (2, 10, 1);"
            "INSERT INTO user_album_data (user_id, album_id, play_count) VALUES "
            "(1, 5, 1), (2, 6, 1);"
            "INSERT INTO user_artist_data (user_id, artist_id, rating) VALUES (1, 1, 5), (2, 2, 1);"
            "INSERT INTO now_playing (user_id, client, track_id) VALUES (1, 'c', 10), (2, 'c', "
            "11);");
    }

    int64_t count(const std::string& sql) { return c_.exec(sql).int64(0, 0); }
    int64_t rows() {
        return count(
            "SELECT (SELECT count(*) FROM user_track_data) + (SELECT count(*) FROM "
            "user_album_data) + (SELECT count(*) FROM user_artist_data) + (SELECT count(*) FROM "
            "now_playing)");
    }

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

TEST_F(UserDataReferences, RefuseRowsForMissingEntities) {
    for (const char* sql :
         {"INSERT INTO user_track_data (user_id, track_id) VALUES (2, 99)",
          "INSERT INTO user_album_data (user_id, album_id) VALUES (1, 99)",
          "INSERT INTO user_artist_data (user_id, artist_id) VALUES (2, 99)",
          "INSERT INTO now_playing (user_id, client, track_id) VALUES (1, 'd', 99)",
          "UPDATE user_track_data SET track_id = 99 WHERE user_id = 2",
          "INSERT INTO user_track_data (user_id, track_id) VALUES (99, 10)"})
        EXPECT_EQ(state_of(c_, sql), "23503") << sql;
    EXPECT_EQ(rows(), 9);
}

TEST_F(UserDataReferences, RowsGoWithTheirEntitiesAndUsers) {
    c_.exec("DELETE FROM tracks WHERE id = 10");
    EXPECT_EQ(count("SELECT count(*) FROM user_track_data"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM now_playing"), 1);
    c_.exec("DELETE FROM albums WHERE id = 5");
    EXPECT_EQ(count("SELECT count(*) FROM user_album_data"), 1);
    // An artist takes its albums (a foreign key) and tracks (0006's trigger) with it.
    c_.exec("DELETE FROM artists WHERE id = 2");
    EXPECT_EQ(rows(), 1) << "only user 1's rating of artist 1 is left";
    c_.exec("DELETE FROM users WHERE id = 1");
    EXPECT_EQ(rows(), 0);
}

TEST_F(UserDataReferences, TruncateReachesThem) {
    c_.exec("TRUNCATE albums");  // no foreign key refers to albums: no CASCADE needed
    EXPECT_EQ(count("SELECT count(*) FROM user_album_data"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM user_track_data"), 0) << "0006: the tracks went too";
    EXPECT_EQ(count("SELECT count(*) FROM now_playing"), 0);
    c_.exec("TRUNCATE artists CASCADE");
    EXPECT_EQ(rows(), 0);
}

}  // namespace
}  // namespace sonique::test
