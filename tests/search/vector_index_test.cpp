// VectorIndex without a database (search/vector_index.hpp): the exact and IVF-Flat queries that
// search/ computes itself (vector_scan.cpp) against a brute-force answer in double precision, an
// IVF index reading its vectors back, and IVF lists that hold little more than their vectors
// after a build and after writes (docs/search.md, "Index memory").
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "search/vector_index.hpp"

namespace sonique::test {
namespace {

using search::IndexParams;
using search::VectorData;
using search::VectorIndex;

VectorData random_vectors(size_t n, int d, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> unit(0, 1);
    VectorData data;
    data.dimension = d;
    for (size_t i = 0; i < n; ++i)
        data.ids.push_back(static_cast<int64_t>(1000 + 3 * i));
    data.values.resize(n * static_cast<size_t>(d));
    for (auto& v : data.values)
        v = unit(rng);
    return data;
}

// The k best ids by cosine, computed in double.
std::vector<std::pair<int64_t, double>> brute_force(const VectorData& data,
                                                    const std::vector<float>& q, size_t k) {
    const auto d = static_cast<size_t>(data.dimension);
    std::vector<std::pair<int64_t, double>> all;
    double qq = 0;
    for (float x : q)
        qq += static_cast<double>(x) * x;
    for (size_t i = 0; i < data.ids.size(); ++i) {
        double dot = 0, vv = 0;
        for (size_t j = 0; j < d; ++j) {
            dot += static_cast<double>(data.values[i * d + j]) * q[j];
            vv += static_cast<double>(data.values[i * d + j]) * data.values[i * d + j];
        }
        all.emplace_back(data.ids[i], dot / std::sqrt(vv * qq));
    }
    std::sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.second > b.second; });
    all.resize(std::min(k, all.size()));
    return all;
}

IndexParams ivf(int lists, int probe) {
    IndexParams p;
    p.exact_limit = 0;
    p.approximate = IndexParams::Approximate::kIvf;
    p.ivf_lists = lists;
    p.ivf_probe = probe;
    return p;
}

TEST(VectorIndexes, ExactAnswersAreTheBruteForceOnesAtAnyDimension) {
    for (int d : {3, 37, 64, 100}) {
        VectorData data = random_vectors(1500, d, 7);
        VectorIndex index = VectorIndex::build(data, 100000);
        ASSERT_TRUE(index.exact());
        VectorData queries = random_vectors(5, d, 8);
        for (size_t i = 0; i < 5; ++i) {
            std::vector<float> q(queries.values.begin() + static_cast<std::ptrdiff_t>(i * d),
                                 queries.values.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
            auto want = brute_force(data, q, 10);
            auto got = index.search(q, 10);
            ASSERT_EQ(got.size(), want.size()) << d;
            for (size_t j = 0; j < got.size(); ++j) {
                EXPECT_NEAR(got[j].score, want[j].second, 1e-5) << "d " << d << " rank " << j;
                // The same id, unless a neighbouring rank scores the same to float rounding.
                bool tie = (j > 0 && want[j - 1].second - want[j].second < 1e-5) ||
                           (j + 1 < want.size() && want[j].second - want[j + 1].second < 1e-5);
                if (!tie) {
                    EXPECT_EQ(got[j].id, want[j].first) << "d " << d << " rank " << j;
                }
            }
        }
    }
}

TEST(VectorIndexes, AnIvfIndexProbingEveryListAnswersAsTheExactOne) {
    VectorData data = random_vectors(3000, 48, 11);
    VectorIndex exact = VectorIndex::build(data, 100000);
    VectorIndex approximate = VectorIndex::build(data, ivf(16, 16));
    ASSERT_STREQ(approximate.kind(), "ivf");
    EXPECT_EQ(approximate.size(), 3000u);
    VectorData queries = random_vectors(10, 48, 12);
    for (size_t i = 0; i < 10; ++i) {
        std::span<const float> q(queries.values.data() + i * 48, 48);
        auto a = exact.search(q, 10), b = approximate.search(q, 10);
        ASSERT_EQ(a.size(), b.size());
        for (size_t j = 0; j < a.size(); ++j) {
            EXPECT_EQ(a[j].id, b[j].id);
            EXPECT_NEAR(a[j].score, b[j].score, 1e-5);
        }
    }
    // Fewer lists probed: still answers, best first.
    approximate.tune(ivf(16, 2));
    auto few = approximate.search(std::span<const float>(queries.values.data(), 48), 10);
    ASSERT_FALSE(few.empty());
    EXPECT_TRUE(
        std::is_sorted(few.begin(), few.end(), [](auto& x, auto& y) { return x.score > y.score; }));
}

TEST(VectorIndexes, AnIvfIndexReadsItsVectorsBackAndTakesWrites) {
    VectorData data = random_vectors(2000, 16, 21);
    VectorIndex index = VectorIndex::build(data, ivf(0, 4));
    auto v = index.vector_of(data.ids[1234]);
    ASSERT_TRUE(v);
    std::vector<float> want(data.values.begin() + 1234 * 16, data.values.begin() + 1235 * 16);
    search::normalise(want);
    for (size_t j = 0; j < 16; ++j)
        EXPECT_NEAR((*v)[j], want[j], 1e-6);
    EXPECT_FALSE(index.vector_of(1));  // no such id
    // Its own vector finds it first.
    auto hits = index.search(*v, 1);
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0].id, data.ids[1234]);
    // Replaced, removed.
    std::vector<float> other(16, 0.0f);
    other[3] = 2;
    index.upsert(data.ids[1234], other);
    EXPECT_NEAR((*index.vector_of(data.ids[1234]))[3], 1.0f, 1e-6);
    EXPECT_EQ(index.size(), 2000u);
    index.remove(data.ids[1234]);
    EXPECT_FALSE(index.vector_of(data.ids[1234]));
    EXPECT_EQ(index.size(), 1999u);
}

TEST(VectorIndexes, IvfListsHoldLittleMoreThanTheirVectors) {
    const int d = 64;
    VectorData data = random_vectors(6000, d, 31);
    VectorIndex index = VectorIndex::build(data, ivf(0, 8));
    auto raw = [&](size_t n) { return static_cast<double>(n) * d * sizeof(float); };
    // Vectors, 8-byte ids (1/32 of a 64-d vector), centroids, the lists' allocations.
    EXPECT_GT(index.memory_bytes(), raw(6000));
    EXPECT_LT(index.memory_bytes(), 1.08 * raw(6000));
    // Writes grow a full list by an eighth, not by doubling it.
    VectorData more = random_vectors(600, d, 32);
    for (size_t i = 0; i < 600; ++i)
        index.upsert(static_cast<int64_t>(i + 1),
                     std::span<const float>(more.values.data() + i * d, d));
    EXPECT_EQ(index.size(), 6600u);
    EXPECT_LT(index.memory_bytes(), 1.25 * raw(6600));
}

}  // namespace
}  // namespace sonique::test
