// Vector sets of two "processes" (two ExternalSets, each with its VectorSync, on one event bus
// with Redis off: the bus delivers in process) over one real PostgreSQL: a change of one is
// applied by the other incrementally when it follows its generation, by a reload from the
// database after a gap; an approximate index takes a new id without a rebuild.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "cache/pubsub.hpp"
#include "cache/redis.hpp"
#include "db/pool.hpp"
#include "search/external_sets.hpp"
#include "search/vector_sync.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

cache::RedisOptions off() {
    cache::RedisOptions o;
    o.enabled = false;
    return o;
}

class SyncedSets : public ::testing::Test {
  protected:
    SyncedSets()
        : db_("vector_sync"),
          pool_(db::PoolOptions{{db_.url(), 0, 5}, 4, std::chrono::milliseconds(5000)}),
          redis_(off()),
          bus_(redis_, {"vectors"}) {
        pool_.acquire()->exec_script(
            "INSERT INTO artists (name) VALUES ('A');"
            "INSERT INTO tracks (title, path, track_artist_id) SELECT 't' || i, '/m/' || i, "
            "(SELECT id FROM artists) FROM generate_series(1, 20) i;"
            "INSERT INTO embedding_types (embedding_type, dimension) VALUES ('mood', 4);"
            "INSERT INTO track_embeddings (track_id, embedding_type, dimension, vector) SELECT "
            "id, 'mood', 4, '{0.1,0.1,0.1,0.1}' FROM tracks "
            "WHERE id <= 8;");
    }
    // The sets of one process: no background comparison for ten minutes, so that only the
    // notifications (or a gap they reveal) bring other processes' writes.
    std::unique_ptr<search::ExternalSets> process(size_t exact_limit = 100000) {
        search::ExternalSetsOptions o;
        o.exact_limit = exact_limit;
        o.check_every = o.live_check_every = std::chrono::minutes(10);
        o.sync = search::VectorSync::create(bus_, "vectors");
        return std::make_unique<search::ExternalSets>(pool_, o);
    }
    int64_t generation() {
        return pool_.acquire()
            ->exec("SELECT generation FROM embedding_types WHERE embedding_type = 'mood'")
            .int64(0, 0);
    }
    // Writes track id's vector in PostgreSQL; returns {previous, new} generations.
    std::pair<int64_t, int64_t> write(int64_t id, const std::vector<float>& v) {
        int64_t before = generation();
        pool_.acquire()->exec(
            "UPDATE track_embeddings SET vector = $2::real[] WHERE track_id = $1 AND "
            "embedding_type = 'mood'",
            db::Params(id, "{" + std::to_string(v[0]) + "," + std::to_string(v[1]) + "," +
                               std::to_string(v[2]) + "," + std::to_string(v[3]) + "}"));
        return {before, generation()};
    }
    static int64_t best(search::VectorSet& set, const std::vector<float>& q) {
        set.wait_idle();
        auto hits = set.search(q, 1);
        return hits && !hits->empty() ? (*hits)[0].id : -1;
    }

    TestDatabase db_;
    db::Pool pool_;
    cache::Redis redis_;
    cache::EventBus bus_;
};

TEST_F(SyncedSets, AChangeThatFollowsIsAppliedIncrementally) {
    auto a = process(), b = process();
    auto sa = a->get("mood", 4), sb = b->get("mood", 4);
    sa->wait_idle();
    sb->wait_idle();
    int rebuilds = sb->status().rebuilds;
    auto [before, after] = write(3, {0, 0, 1, 0});
    sa->upsert(3, std::vector<float>{0, 0, 1, 0}, after, before);
    EXPECT_EQ(best(*sb, {0, 0, 1, 0}), 3);
    EXPECT_EQ(sb->status().remote_applied, 1);
    EXPECT_EQ(sb->status().rebuilds, rebuilds);
    EXPECT_EQ(sb->status().generation, after);
    // A removal the same way: B drops the id (the row is gone from the database).
    before = generation();
    pool_.acquire()->exec("DELETE FROM track_embeddings WHERE track_id = 3");
    a->removed("mood", 3, generation(), before);
    sb->wait_idle();
    EXPECT_NE(best(*sb, {0, 0, 1, 0}), 3);
    EXPECT_EQ(sb->status().size, 7u);
    EXPECT_EQ(sb->status().remote_applied, 2);
}

TEST_F(SyncedSets, AGapReloadsTheSetFromTheDatabase) {
    auto a = process(), b = process();
    auto sa = a->get("mood", 4), sb = b->get("mood", 4);
    sa->wait_idle();
    sb->wait_idle();
    int rebuilds = sb->status().rebuilds;
    write(2, {0, 1, 0, 0});  // a write nobody tells of (a script in SQL)
    auto [before, after] = write(4, {0, 0, 0, 1});
    sa->upsert(4, std::vector<float>{0, 0, 0, 1}, after, before);
    // A's message follows a generation B never saw: B reloads and has both writes.
    EXPECT_EQ(best(*sb, {0, 0, 0, 1}), 4);
    EXPECT_EQ(best(*sb, {0, 1, 0, 0}), 2);
    EXPECT_EQ(sb->status().rebuilds, rebuilds + 1);
    EXPECT_EQ(sb->status().remote_applied, 0);
    EXPECT_EQ(sb->status().generation, after);
}

TEST_F(SyncedSets, AnApproximateIndexTakesANewIdWithoutARebuild) {
    auto a = process(4), b = process(4);
    auto sa = a->get("mood", 4), sb = b->get("mood", 4);
    sa->wait_idle();
    sb->wait_idle();
    ASSERT_EQ(sb->status().kind, "hnsw");
    int rebuilds = sb->status().rebuilds;
    int64_t before = generation();
    pool_.acquire()->exec(
        "INSERT INTO track_embeddings (track_id, embedding_type, dimension, vector) VALUES "
        "(12, 'mood', 4, '{1,0,0,0}')");
    sa->upsert(12, std::vector<float>{1, 0, 0, 0}, generation(), before);
    EXPECT_EQ(best(*sb, {1, 0, 0, 0}), 12);
    EXPECT_EQ(sb->status().rebuilds, rebuilds);
    EXPECT_EQ(sb->status().size, 9u);
}

// A saved file over 8 MB is read on the set's thread: opening the set returns at once, and a
// query meanwhile waits for it (up to wait_loading) or answers nullopt (the caller falls back),
// never fails.
TEST_F(SyncedSets, ALargeSavedFileLoadsInTheBackgroundWhileQueriesAnswer) {
    auto dir = std::filesystem::temp_directory_path() / ("sonique-sync-" + unique_suffix());
    pool_.acquire()->exec_script(
        "INSERT INTO tracks (title, path, track_artist_id) SELECT 'w' || i, '/w/' || i, "
        "(SELECT id FROM artists) FROM generate_series(1, 3000) i;"
        "INSERT INTO embedding_types (embedding_type, dimension) VALUES ('wide', 768);"
        "INSERT INTO track_embeddings (track_id, embedding_type, dimension, vector) SELECT t.id, "
        "'wide', 768, ARRAY(SELECT (random() + 0 * t.id)::real FROM generate_series(1, 768)) "
        "FROM tracks t WHERE t.title LIKE 'w%';");
    search::ExternalSetsOptions o;
    o.dir = dir.string();
    int64_t first = 0;
    std::vector<float> q(768, 0.5f);
    {
        search::ExternalSets sets(pool_, o);
        auto set = sets.get("wide", 768);
        first = best(*set, q);
        ASSERT_GT(std::filesystem::file_size(sets.file_of("wide")), 8u << 20);
    }
    search::ExternalSets sets(pool_, o);
    auto set = sets.get("wide", 768);
    int answered = 0, fell_back = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while ((!set->status().ready || answered == 0) && std::chrono::steady_clock::now() < deadline) {
        auto hits = set->search(q, 1);
        if (!hits) {
            ++fell_back;
            continue;
        }
        ++answered;
        ASSERT_EQ(hits->size(), 1u);
        EXPECT_EQ((*hits)[0].id, first);
    }
    EXPECT_GT(answered, 0);
    set->wait_idle();
    EXPECT_EQ(set->status().rebuilds, 0) << "loaded from its file, not rebuilt";
    EXPECT_EQ(best(*set, q), first);
    RecordProperty("queries_before_ready", fell_back);
    std::filesystem::remove_all(dir);
}

TEST(VectorChanges, RoundTripThroughTheirMessage) {
    cache::Redis redis(off());
    cache::EventBus bus(redis, {"v"});
    auto sync = search::VectorSync::create(bus, "v");
    std::string from;
    auto c = search::VectorSync::decode(sync->encode({"external:x", 12, 11, {5, 6}, false}), &from);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->set, "external:x");
    EXPECT_EQ(c->generation, 12);
    EXPECT_EQ(c->previous, 11);
    EXPECT_EQ(c->ids, (std::vector<int64_t>{5, 6}));
    EXPECT_FALSE(c->rebuilt);
    EXPECT_FALSE(from.empty());
    EXPECT_FALSE(search::VectorSync::decode("{\"set\": 3}", nullptr));
    EXPECT_FALSE(search::VectorSync::decode("not json", nullptr));
    EXPECT_EQ(sync->session(), 0u);  // Redis off: nothing from other processes
}

}  // namespace
}  // namespace sonique::test
