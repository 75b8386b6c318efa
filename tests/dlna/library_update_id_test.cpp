// SystemUpdateID's source: the library's change counter grows with every statement that changes
// rows of the tree's tables, not with one that changes none, and survives a restart.
#include <gtest/gtest.h>

#include "db/pool.hpp"
#include "services/library_update_id.hpp"
#include "support/test_server.hpp"

namespace sonique {
namespace {

TEST(LibraryUpdateId, GrowsWithChangesOnlyAndSurvivesARestart) {
    test::TestDatabase db("dlna_update_id");
    auto use_db = [&](Config& c) { c.database_url = db.url(); };
    auto server = std::make_unique<test::TestServer>("dlna_update_id", use_db);
    auto& ctx = server->runtime().services();
    auto exec = [&](const char* sql) { ctx.pool.acquire()->exec(sql); };
    std::uint32_t start = services::library_update_id(ctx);
    EXPECT_EQ(start, 0u);  // a fresh library
    exec("INSERT INTO genres (name) VALUES ('Dub'), ('Ska')");
    std::uint32_t after_insert = services::library_update_id(ctx);
    EXPECT_GT(after_insert, start);
    exec("UPDATE genres SET name = name || '!' WHERE name = 'nothing'");  // no row
    exec("DELETE FROM artists WHERE id < 0");                             // no row
    EXPECT_EQ(services::library_update_id(ctx), after_insert);
    exec("UPDATE genres SET name = 'Dub music' WHERE name = 'Dub'");
    std::uint32_t after_update = services::library_update_id(ctx);
    EXPECT_GT(after_update, after_insert);
    exec("DELETE FROM genres WHERE name = 'Ska'");
    std::uint32_t after_delete = services::library_update_id(ctx);
    EXPECT_GT(after_delete, after_update);
    // Tables outside the tree (a user's play data, settings) do not move it.
    exec("INSERT INTO settings (key, value) VALUES ('dlna-test', '\"x\"')");
    EXPECT_EQ(services::library_update_id(ctx), after_delete);

    // A new process on the same database reads the same value.
    server.reset();
    test::TestServer again("dlna_update_id_again", use_db);
    EXPECT_EQ(services::library_update_id(again.runtime().services()), after_delete);
}

}  // namespace
}  // namespace sonique
