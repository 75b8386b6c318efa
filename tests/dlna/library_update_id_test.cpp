// SystemUpdateID's source: the library's change counter grows with every statement that changes
// rows of the tree's tables, not with one that changes none, and survives a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

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

// ContainerUpdateIDs' source (migration 0020): a write marks the containers whose children it
// changed, with the SystemUpdateID it took; the others stay as they were.
TEST(LibraryUpdateId, MarksTheContainersAWriteChanged) {
    test::TestDatabase db("dlna_container_ids");
    test::TestServer server("dlna_container_ids", [&](Config& c) { c.database_url = db.url(); });
    auto& ctx = server.runtime().services();
    auto one = [&](const std::string& sql) { return ctx.pool.acquire()->exec(sql).str(0, 0); };
    auto since = [&](std::uint32_t id) {
        std::map<std::string, std::uint32_t> out;
        for (const auto& [c, u] : services::container_update_ids_since(ctx, id, 1000))
            out[c] = u;
        return out;
    };
    EXPECT_TRUE(since(0).empty());  // a fresh library

    std::string ar = one("INSERT INTO artists (name) VALUES ('Ben') RETURNING id");
    std::string aa = one("INSERT INTO artists (name) VALUES ('Various') RETURNING id");
    std::string al = one("INSERT INTO albums (title, album_artist_id) VALUES ('Night', " + aa +
                         ") RETURNING id");
    std::string user = one("INSERT INTO users (name, password_enc) VALUES ('u', 'x') RETURNING id");
    std::string pl = one("INSERT INTO playlists (name, public, owner_id) VALUES ('P', true, " +
                         user + ") RETURNING id");
    std::uint32_t before = services::library_update_id(ctx);
    std::string t = one(
        "INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES ('Moon', '/m/1.mp3', " +
        ar + ", " + al + ") RETURNING id");
    std::uint32_t now = services::library_update_id(ctx);
    ASSERT_GT(now, before);
    auto changed = since(before);
    for (const std::string& c : std::vector<std::string>{
             "m/all", "m/new", "m/al", "m/ar", "m/ge", "m/al/" + al, "m/ar/" + ar,
             "m/ar/" + ar + "/" + al, "m/aa/" + aa, "m/aa/" + aa + "/" + al})
        EXPECT_EQ(changed[c], now) << c;
    EXPECT_EQ(changed.count("m/pl"), 0u);
    EXPECT_EQ(changed.count("0"), 0u);  // the fixed root and Music never change
    // The shallowest containers come first, and the limit holds.
    auto first = services::container_update_ids_since(ctx, before, 3);
    ASSERT_EQ(first.size(), 3u);
    for (const auto& [c, u] : first)
        EXPECT_EQ(std::count(c.begin(), c.end(), '/'), 1) << c;

    // A playlist's entry: that playlist and the list of playlists, nothing else.
    ctx.pool.acquire()->exec(
        "INSERT INTO playlist_entries (playlist_id, position, track_id) "
        "VALUES (" +
        pl + ", 0, " + t + ")");
    std::uint32_t after_entry = services::library_update_id(ctx);
    changed = since(now);
    EXPECT_EQ(changed, (std::map<std::string, std::uint32_t>{{"m/pl", after_entry},
                                                             {"m/pl/" + pl, after_entry}}));
    // Renaming the album marks its tracks' containers (their rows show its title).
    ctx.pool.acquire()->exec("UPDATE albums SET title = 'Day' WHERE id = " + al);
    std::uint32_t after_rename = services::library_update_id(ctx);
    changed = since(after_entry);
    for (const std::string& c : std::vector<std::string>{
             "m/al", "m/al/" + al, "m/ar/" + ar + "/" + al, "m/all", "m/pl/" + pl, "m/aa/" + aa})
        EXPECT_EQ(changed[c], after_rename) << c;
    // A statement that changes no row marks nothing.
    ctx.pool.acquire()->exec("UPDATE albums SET title = 'x' WHERE id = -1");
    EXPECT_TRUE(since(after_rename).empty());
    // A deleted track: its album and the lists again.
    ctx.pool.acquire()->exec("DELETE FROM tracks WHERE id = " + t);
    changed = since(after_rename);
    EXPECT_GT(changed["m/al/" + al], after_rename);
    EXPECT_GT(changed["m/all"], after_rename);
}

// Writers never wait for one another over the marks: two open transactions both writing tracks
// (both mark m/all, m/al...) go on without blocking, and both marks count once committed.
TEST(LibraryUpdateId, ConcurrentWritersDoNotBlockOnTheMarks) {
    test::TestDatabase db("dlna_container_ids_concurrent");
    test::TestServer server("dlna_container_ids_concurrent",
                            [&](Config& c) { c.database_url = db.url(); });
    auto& ctx = server.runtime().services();
    auto setup = ctx.pool.acquire();
    std::string ar = setup->exec("INSERT INTO artists (name) VALUES ('A') RETURNING id").str(0, 0);
    std::string al = setup
                         ->exec("INSERT INTO albums (title, album_artist_id) VALUES ('X', " + ar +
                                ") RETURNING id")
                         .str(0, 0);
    auto a = ctx.pool.acquire();
    auto b = ctx.pool.acquire();
    // A block would fail the statement after 3 s instead of hanging the test.
    for (auto* c : {&a, &b})
        (*c)->exec("SET statement_timeout = '3s'");
    a->exec("BEGIN");
    b->exec("BEGIN");
    a->exec("INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES ('1', '/a/1', " +
            ar + ", " + al + ")");
    b->exec("INSERT INTO tracks (title, path, track_artist_id, album_id) VALUES ('2', '/a/2', " +
            ar + ", " + al + ")");
    b->exec("UPDATE albums SET title = 'Y' WHERE id = " + al);
    a->exec("UPDATE artists SET name = 'B' WHERE id = " + ar);
    b->exec("COMMIT");
    a->exec("COMMIT");
    std::uint32_t now = services::library_update_id(ctx);
    std::map<std::string, std::uint32_t> latest;
    for (const auto& [c, u] : services::container_update_ids_since(ctx, 0, 1000))
        latest[c] = u;
    EXPECT_EQ(latest["m/all"], now);  // the last statement (the artist's rename) marked it
    EXPECT_GT(latest["m/al/" + al], 0u);
    EXPECT_GT(latest["m/ar/" + ar + "/" + al], 0u);
}

}  // namespace
}  // namespace sonique
