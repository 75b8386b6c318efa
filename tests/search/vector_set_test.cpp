// Vector sets (search/vector_set.hpp, search/external_sets.hpp) over real FAISS and a real
// PostgreSQL holding track_embeddings: add, update, remove, persistence across a reopen, damaged
// and stale files rebuilt (never served), concurrent queries during a rebuild, two types of
// different dimensions, and the approximate kind.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/json.hpp"
#include "db/pool.hpp"
#include "search/external_sets.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;
using search::ExternalSets;

class VectorSets : public ::testing::Test {
  protected:
    VectorSets()
        : db_("vector_sets"),
          pool_(db::PoolOptions{{db_.url(), 0, 5}, 4, std::chrono::milliseconds(5000)}),
          dir_(fs::temp_directory_path() / ("sonique-vectors-" + unique_suffix())) {
        auto c = pool_.acquire();
        c->exec_script(
            "INSERT INTO artists (name) VALUES ('A');"
            "INSERT INTO tracks (title, path, track_artist_id) SELECT 't' || i, '/m/' || i, "
            "(SELECT id FROM artists) FROM generate_series(1, 40) i;");
    }
    ~VectorSets() override { fs::remove_all(dir_); }

    // Writes a vector the way the embeddings service does (type row first, then the vector).
    void put(const std::string& type, int64_t track, const std::vector<float>& v) {
        std::string arr = "{";
        for (size_t i = 0; i < v.size(); ++i)
            arr += (i ? "," : "") + std::to_string(v[i]);
        arr += "}";
        auto c = pool_.acquire();
        c->exec(
            "INSERT INTO embedding_types (embedding_type, dimension) VALUES ($1, $2) ON "
            "CONFLICT DO NOTHING",
            db::Params(type, static_cast<int64_t>(v.size())));
        c->exec(
            "INSERT INTO track_embeddings (track_id, embedding_type, dimension, vector) "
            "VALUES ($1, $2, $3, $4::real[]) ON CONFLICT (track_id, embedding_type) DO "
            "UPDATE SET vector = EXCLUDED.vector",
            db::Params(track, type, static_cast<int64_t>(v.size()), arr));
    }
    int64_t track(int n) {
        return pool_.acquire()
            ->exec("SELECT id FROM tracks WHERE title = $1", db::Params("t" + std::to_string(n)))
            .int64(0, 0);
    }
    int64_t generation(const std::string& type) {
        return pool_.acquire()
            ->exec("SELECT generation FROM embedding_types WHERE embedding_type = $1",
                   db::Params(type))
            .int64(0, 0);
    }
    std::unique_ptr<ExternalSets> open(size_t exact_limit = 100000, int check_ms = 0) {
        search::ExternalSetsOptions o;
        o.dir = dir_.string();
        o.exact_limit = exact_limit;
        o.check_every = std::chrono::milliseconds(check_ms);
        return std::make_unique<ExternalSets>(pool_, o);
    }
    // The id of the best hit, after the set is idle.
    static int64_t best(search::VectorSet& set, const std::vector<float>& q) {
        set.wait_idle();
        auto hits = set.search(q, 1);
        if (!hits || hits->empty()) return -1;
        return (*hits)[0].id;
    }
    // Puts eight 4-d vectors, track i pointing mostly along axis i % 4.
    void fill() {
        for (int i = 1; i <= 8; ++i) {
            std::vector<float> v(4, 0.1f);
            v[i % 4] = static_cast<float>(i);
            put("mood", track(i), v);
        }
    }

    TestDatabase db_;
    db::Pool pool_;
    fs::path dir_;
};

TEST_F(VectorSets, AnswersCosineBestFirstAndTakesWrites) {
    fill();
    auto sets = open();
    auto set = sets->get("mood", 4);
    set->wait_idle();
    auto hits = set->search(std::vector<float>{0, 0, 1, 0}, 3);
    ASSERT_TRUE(hits);
    ASSERT_EQ(hits->size(), 3u);
    // Tracks 2 and 6 point along axis 2; 6 is longer but cosine ignores length: the more
    // axis-pure one (6: 6 against 0.1s) wins.
    EXPECT_EQ((*hits)[0].id, track(6));
    EXPECT_EQ((*hits)[1].id, track(2));
    EXPECT_NEAR((*hits)[0].score, 6 / std::sqrt(36 + 0.03), 1e-4);
    EXPECT_GE((*hits)[1].score, (*hits)[2].score);
    // Update: track 1 turns to axis 3; remove track 6; add track 9 along axis 2.
    set->upsert(track(1), std::vector<float>{0, 0, 0, 1}, generation("mood"));
    set->remove(track(6), generation("mood"));
    set->upsert(track(9), std::vector<float>{0, 0, 5, 0}, generation("mood"));
    EXPECT_EQ(best(*set, {0, 0, 0, 1}), track(1));
    EXPECT_EQ(best(*set, {0, 0, 1, 0}), track(9));
    EXPECT_EQ(set->status().size, 8u);  // 8 - track 6 + track 9
    EXPECT_THROW(set->search(std::vector<float>{1, 0}, 1), std::invalid_argument);
}

TEST_F(VectorSets, PersistAcrossAReopenWithoutARebuild) {
    fill();
    {
        auto sets = open();
        sets->get("mood", 4)->wait_idle();
        EXPECT_TRUE(fs::exists(sets->file_of("mood")));
    }
    auto sets = open();
    auto set = sets->get("mood", 4);
    // Sound and current: answers at once from the file, and the check finds nothing to do.
    ASSERT_TRUE(set->search(std::vector<float>{1, 0, 0, 0}, 1));
    set->wait_idle();
    EXPECT_EQ(set->status().rebuilds, 0);
    EXPECT_EQ(best(*set, {1, 0, 0, 0}), track(8));
}

// Files written before the checksum over 8-byte words (FNV-1a byte by byte, no checksum_kind)
// still load without a rebuild; one whose old checksum does not match is refused.
TEST_F(VectorSets, FilesOfTheFormerChecksumStillLoad) {
    fill();
    std::string file;
    {
        auto sets = open();
        sets->get("mood", 4)->wait_idle();
        file = sets->file_of("mood");
    }
    auto rewrite = [&](bool damage) {
        std::ifstream in(file, std::ios::binary);
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        size_t nl = data.find('\n', 16);
        size_t len = std::stoul(data.substr(16, nl - 16));
        Json h = Json::parse(data.substr(nl + 1, len));
        std::string payload = data.substr(nl + 1 + len);
        auto fnv = [](const std::string& bytes) {
            uint64_t x = 14695981039346656037ull;
            for (unsigned char c : bytes) {
                x ^= c;
                x *= 1099511628211ull;
            }
            char buf[17];
            std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
            return std::string(buf);
        };
        h.erase("checksum_kind");
        h["checksum"] = fnv(payload + (damage ? "x" : ""));
        h["attachment_checksum"] = fnv("");
        std::string head = h.dump();
        std::ofstream(file, std::ios::binary | std::ios::trunc)
            << data.substr(0, 16) << head.size() << '\n'
            << head << payload;
    };
    rewrite(false);
    {
        auto sets = open();
        auto set = sets->get("mood", 4);
        set->wait_idle();
        EXPECT_EQ(set->status().rebuilds, 0) << set->status().last_problem;
        EXPECT_EQ(best(*set, {1, 0, 0, 0}), track(8));
    }
    // An old checksum that does not match: refused, rebuilt.
    rewrite(true);
    auto sets = open();
    auto set = sets->get("mood", 4);
    EXPECT_EQ(set->status().last_problem, "saved index refused: checksum mismatch");
    set->wait_idle();
    EXPECT_EQ(set->status().rebuilds, 1);
    EXPECT_EQ(best(*set, {0, 1, 0, 0}), track(5));
}

TEST_F(VectorSets, TruncatedOrCorruptedFilesAreRebuiltNeverServed) {
    fill();
    std::string file;
    {
        auto sets = open();
        sets->get("mood", 4)->wait_idle();
        file = sets->file_of("mood");
    }
    auto size = fs::file_size(file);
    for (int variant = 0; variant < 3; ++variant) {
        if (variant == 0) fs::resize_file(file, size / 2);  // truncated
        if (variant == 1) {                                 // one payload byte flipped
            std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
            f.seekp(static_cast<std::streamoff>(size - 10));
            char c = 0;
            f.read(&c, 1);
            f.seekp(static_cast<std::streamoff>(size - 10));
            c = static_cast<char>(c ^ 0x5a);
            f.write(&c, 1);
        }
        if (variant == 2) std::ofstream(file, std::ios::trunc) << "garbage";
        auto sets = open();
        auto set = sets->get("mood", 4);
        EXPECT_NE(set->status().last_problem, "") << variant;
        set->wait_idle();
        EXPECT_EQ(set->status().rebuilds, 1) << variant;
        EXPECT_EQ(best(*set, {0, 1, 0, 0}), track(5)) << variant;
        // The rebuild saved a sound file again.
        EXPECT_EQ(fs::file_size(file), size) << variant;
    }
}

TEST_F(VectorSets, StaleFilesAreRebuiltWhileTheOldIndexAnswers) {
    fill();
    {
        auto sets = open();
        sets->get("mood", 4)->wait_idle();
    }
    // Another program writes while no server runs: the file is now stale.
    put("mood", track(20), {0, 0, 0, 9});
    auto sets = open();
    auto set = sets->get("mood", 4);
    // The old index answers at once (it does not know track 20 yet).
    auto early = set->search(std::vector<float>{0, 0, 0, 1}, 1);
    ASSERT_TRUE(early);
    set->wait_idle();
    EXPECT_EQ(set->status().rebuilds, 1);
    EXPECT_EQ(set->status().generation, generation("mood"));
    EXPECT_EQ(best(*set, {0, 0, 0, 1}), track(20));
    // And a write by another process while serving: seen at the next check.
    put("mood", track(21), {0, 0, 1, 1});
    set->search(std::vector<float>{0, 0, 1, 1}, 1);  // queues the check (check_every 0)
    EXPECT_EQ(best(*set, {0, 0, 1, 1}), track(21));
}

TEST_F(VectorSets, QueriesKeepAnsweringDuringRebuilds) {
    fill();
    auto sets = open(100000, 600000);  // readers must not queue checks all the time
    auto set = sets->get("mood", 4);
    set->wait_idle();
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, missing{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back([&] {
            while (!stop) {
                auto hits = set->search(std::vector<float>{0, 1, 0, 0}, 2);
                if (hits && hits->size() == 2)
                    ++answered;
                else
                    ++missing;
            }
        });
    for (int i = 0; i < 5; ++i) {
        set->rebuild();
        set->wait_idle();
    }
    stop = true;
    for (auto& r : readers)
        r.join();
    EXPECT_GE(set->status().rebuilds, 5);
    EXPECT_GT(answered.load(), 0);
    EXPECT_EQ(missing.load(), 0);
}

TEST_F(VectorSets, WritesDuringRebuildsAreNotLost) {
    fill();
    auto sets = open(100000, 600000);
    auto set = sets->get("mood", 4);
    set->wait_idle();
    std::vector<std::vector<float>> written;
    for (int i = 0; i < 6; ++i) {
        set->rebuild();  // may snapshot before or after the write below
        float angle = 0.2f + 0.2f * static_cast<float>(i);
        written.push_back({std::cos(angle), std::sin(angle), 0, 0});
        put("mood", track(20 + i), written.back());
        set->upsert(track(20 + i), written.back(), generation("mood"));
    }
    for (int i = 0; i < 6; ++i)
        EXPECT_EQ(best(*set, written[static_cast<size_t>(i)]), track(20 + i)) << i;
    EXPECT_EQ(set->status().size, 14u);
}

TEST_F(VectorSets, TypesOfDifferentDimensionsLiveApart) {
    fill();
    put("text", track(30), std::vector<float>(768, 0.5f));
    std::vector<float> other(768, 0.0f);
    other[0] = 1;
    put("text", track(31), other);
    auto sets = open();
    EXPECT_EQ(best(*sets->get("text", 768), other), track(31));
    EXPECT_EQ(best(*sets->get("mood", 4), {0, 1, 0, 0}), track(5));
    EXPECT_EQ(sets->opened().size(), 2u);
}

TEST_F(VectorSets, BeyondTheExactLimitTheIndexIsApproximate) {
    fill();
    auto sets = open(4);
    auto set = sets->get("mood", 4);
    set->wait_idle();
    EXPECT_FALSE(set->status().exact);
    EXPECT_EQ(best(*set, {0, 1, 0, 0}), track(5));
    // HNSW cannot remove: the id is hidden at once, then a rebuild drops it.
    pool_.acquire()->exec("DELETE FROM track_embeddings WHERE track_id = $1", db::Params(track(5)));
    set->remove(track(5), generation("mood"));
    auto hits = set->search(std::vector<float>{0, 1, 0, 0}, 8);
    ASSERT_TRUE(hits);
    for (const auto& h : *hits)
        EXPECT_NE(h.id, track(5));
    set->wait_idle();
    EXPECT_GE(set->status().rebuilds, 2);
    EXPECT_EQ(set->status().size, 7u);
    EXPECT_FALSE(set->status().exact);
    EXPECT_EQ(best(*set, {0, 1, 0, 0}), track(1));
}

TEST(FloatArrays, ParsePostgresText) {
    std::vector<float> out;
    EXPECT_TRUE(search::parse_float_array("{1,2.5,-3e-05}", out));
    EXPECT_EQ(out, (std::vector<float>{1, 2.5f, -3e-05f}));
    EXPECT_FALSE(search::parse_float_array("{1,x}", out));
    EXPECT_FALSE(search::parse_float_array("1,2", out));
}

}  // namespace
}  // namespace sonique::test
