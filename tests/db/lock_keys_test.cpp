// The advisory-lock registry (db/lock_keys.hpp) and the keys written in landed migrations' SQL:
// they must never drift apart, and no two locks may share a key.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "db/connection.hpp"
#include "db/lock_keys.hpp"
#include "support/test_env.hpp"

namespace sonique::test {
namespace {

// The keys of every pg_*advisory*lock*(<number>) call in a function's definition.
std::set<int64_t> keys_in(db::Connection& c, const char* function) {
    std::string def =
        c.exec("SELECT pg_get_functiondef($1::regproc)", db::Params(function)).str(0, 0);
    static const std::regex call(R"(pg_\w*advisory\w*lock\w*\(\s*(\d+)\s*\))");
    std::set<int64_t> out;
    for (std::sregex_iterator it(def.begin(), def.end(), call), end; it != end; ++it)
        out.insert(std::stoll((*it)[1].str()));
    return out;
}

TEST(LockKeys, UnusedCoverImagesKeyMatchesTheMigratedFunctions) {
    TestDatabase db("lock_keys");
    db::Connection c({db.url(), 0, 5});
    const std::set<int64_t> expected{db::lock_keys::kUnusedCoverImages};
    EXPECT_EQ(keys_in(c, "sonique_lock_cover_images"), expected);
    EXPECT_EQ(keys_in(c, "sonique_remove_unused_cover_images"), expected);
}

TEST(LockKeys, OneKeyLocksAreDistinct) {
    namespace k = db::lock_keys;
    const std::set<int64_t> keys{k::kMigrations, k::kUnusedCoverImages, k::kAlbumBatch,
                                 k::kTrackBatch, k::kAnalysis};
    EXPECT_EQ(keys.size(), 5u);
}

}  // namespace
}  // namespace sonique::test
