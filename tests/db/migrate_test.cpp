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

TEST(Migrate, MigrationsAreNumberedWithoutGaps) {
    auto ms = db::migrations();
    for (size_t i = 0; i < ms.size(); ++i)
        EXPECT_EQ(ms[i].version, static_cast<int>(i + 1));
}

}  // namespace
}  // namespace sonique::test
