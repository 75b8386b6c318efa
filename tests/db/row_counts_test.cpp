// Migration 0003's row counts: sonique_row_count() equals count(*) after every kind of write.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "db/connection.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

class RowCounts : public ::testing::Test {
  protected:
    RowCounts() : db_("row_counts"), c_({db_.url(), 0, 5}) {}

    void expect_exact(const char* where) {
        for (const char* t : {"artists", "albums", "tracks"}) {
            auto r =
                c_.exec(std::string("SELECT sonique_row_count('") + t + "'), count(*) FROM " + t);
            EXPECT_EQ(r.int64(0, 0), r.int64(0, 1)) << t << " " << where;
        }
    }
    int64_t deltas(const char* t) {
        return c_.exec("SELECT count(*) FROM row_count_deltas WHERE tbl = $1", db::Params(t))
            .int64(0, 0);
    }

    TestDatabase db_;
    db::Connection c_;
};

TEST_F(RowCounts, StayExactThroughInsertsDeletesConflictsCascadesAndTruncate) {
    expect_exact("empty");
    for (int i = 0; i < 100; ++i)  // one statement each: past the fold threshold several times
        c_.exec("INSERT INTO artists (name) VALUES ($1)",
                db::Params("artist " + std::to_string(i)));
    expect_exact("after single inserts");
    EXPECT_LE(deltas("artists"), 33);
    c_.exec("INSERT INTO albums (title, album_artist_id) SELECT 'album', id FROM artists");
    c_.exec(
        "INSERT INTO tracks (title, path, track_artist_id, album_id) "
        "SELECT 't', '/m/' || id, album_artist_id, id FROM albums");
    expect_exact("after multi-row inserts");
    c_.exec("INSERT INTO artists (name) VALUES ('artist 1'), ('new one') ON CONFLICT DO NOTHING");
    expect_exact("after a conflicting insert");
    c_.exec("DELETE FROM artists WHERE name LIKE 'artist 1%'");  // cascades to albums and tracks
    expect_exact("after a cascading delete");
    c_.exec("BEGIN");
    c_.exec("INSERT INTO artists (name) VALUES ('rolled back')");
    c_.exec("ROLLBACK");
    expect_exact("after a rollback");
    c_.exec("TRUNCATE artists CASCADE");
    expect_exact("after truncate");
    EXPECT_EQ(c_.exec("SELECT sonique_row_count('albums')").int64(0, 0), 0);
}

TEST_F(RowCounts, ConcurrentWritersNeverLoseADelta) {
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
        writers.emplace_back([&, w] {
            db::Connection c({db_.url(), 0, 5});
            for (int i = 0; i < 60; ++i) {
                auto name = "w" + std::to_string(w) + "-" + std::to_string(i);
                c.exec("INSERT INTO artists (name) VALUES ($1)", db::Params(name));
                if (i % 3 == 0) c.exec("DELETE FROM artists WHERE name = $1", db::Params(name));
            }
        });
    }
    for (auto& t : writers)
        t.join();
    expect_exact("after concurrent writers");
    EXPECT_EQ(c_.exec("SELECT sonique_row_count('artists')").int64(0, 0), 4 * 40);
}

}  // namespace
}  // namespace sonique::test
