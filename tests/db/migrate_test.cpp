// Migrations: applied once, also when two processes start together.
#include <gtest/gtest.h>

#include <future>

#include "db/connection.hpp"
#include "db/migrate.hpp"
#include "support/instances.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

int64_t applied(const std::string& url) {
    db::Connection c({url, 0, 5});
    return c.exec("SELECT count(*) FROM schema_migrations").int64(0, 0);
}

TEST(Migrate, SecondRunAppliesNothing) {
    TestDatabase db("mig", false);
    db::Connection c({db.url(), 0, 5});
    int first = db::migrate(c);
    EXPECT_EQ(first, static_cast<int>(db::migrations().size()));
    EXPECT_GE(first, 1);
    EXPECT_EQ(db::migrate(c), 0);
    EXPECT_EQ(applied(db.url()), first);
    // The schema is really there.
    EXPECT_EQ(c.exec("SELECT count(*) FROM play_queue").int64(0, 0), 1);
}

TEST(Migrate, TwoProcessesMigratingTogetherApplyOnce) {
    TestDatabase db("mig2", false);
    std::string cmd = "DATABASE_URL='" + db.url() + "' REDIS_URL=none LOG_LEVEL=warn " +
                      SONIQUE_BINARY_DIR + "/app/sonique migrate 2>&1";
    auto a = std::async(std::launch::async, [&] { return run_command(cmd); });
    auto b = std::async(std::launch::async, [&] { return run_command(cmd); });
    EXPECT_NO_THROW(a.get());
    EXPECT_NO_THROW(b.get());
    EXPECT_EQ(applied(db.url()), static_cast<int64_t>(db::migrations().size()));
}

// pg_restore and pg_dump's SQL load data with an empty search_path: the triggers that every
// write fires (row counts, references, covers) must still find their tables and functions.
TEST(Migrate, WritesWorkWithAnEmptySearchPathAsInADataOnlyRestore) {
    TestDatabase db("mig3");
    db::Connection c({db.url(), 0, 5});
    c.exec("SELECT pg_catalog.set_config('search_path', '', false)");
    EXPECT_NO_THROW(c.exec_script(
        "INSERT INTO public.artists (id, name) VALUES (1, 'A'), (2, 'B');"
        "INSERT INTO public.albums (id, title, album_artist_id) VALUES (5, 'X', 1);"
        "INSERT INTO public.tracks (id, title, path, track_artist_id, album_id) VALUES "
        "(10, 't10', '/m/10', 1, 5), (11, 't11', '/m/11', 2, NULL);"
        "INSERT INTO public.track_artists (track_id, artist_id, position) VALUES "
        "(10, 1, 0), (10, 2, 1), (11, 2, 0);"
        "UPDATE public.tracks SET album_id = NULL WHERE id = 10;"
        "DELETE FROM public.tracks WHERE id = 11;"
        "DELETE FROM public.artists WHERE id = 2;"));
    EXPECT_EQ(c.exec("SELECT public.sonique_row_count('tracks')").int64(0, 0), 1);
    EXPECT_EQ(c.exec("SELECT count(*) FROM public.track_artists").int64(0, 0), 1);

    // A data-only restore with triggers on also loads the dumped row_count_deltas: the rows are
    // counted twice until the next migrate.
    c.exec("INSERT INTO public.row_count_deltas (tbl, delta) VALUES ('tracks', 1)");
    EXPECT_EQ(c.exec("SELECT public.sonique_row_count('tracks')").int64(0, 0), 2);
    c.exec("SELECT pg_catalog.set_config('search_path', 'public', false)");
    EXPECT_EQ(db::migrate(c), 0);
    EXPECT_EQ(c.exec("SELECT sonique_row_count('tracks')").int64(0, 0), 1);
    EXPECT_EQ(c.exec("SELECT sonique_row_count('artists')").int64(0, 0), 1);

    EXPECT_NO_THROW(c.exec("TRUNCATE public.artists CASCADE"));
    EXPECT_EQ(c.exec("SELECT public.sonique_row_count('tracks')").int64(0, 0), 0);
}

TEST(Migrate, MigrationsAreNumberedWithoutGaps) {
    auto ms = db::migrations();
    for (size_t i = 0; i < ms.size(); ++i)
        EXPECT_EQ(ms[i].version, static_cast<int>(i + 1));
}

}  // namespace
}  // namespace sonique::test
