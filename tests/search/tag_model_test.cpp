// The tags space's model (search/tag_model.hpp) without a database: terms of a tag, the truncated
// SVD against the exact TF-IDF cosines it must keep, queries placed in the space, and the model's
// bytes (round trip, damage refused).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "search/tag_model.hpp"

namespace sonique::test {
namespace {

using search::TagDocument;
using search::TagModel;

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        dot += static_cast<double>(a[i]) * b[i];
        na += static_cast<double>(a[i]) * a[i];
        nb += static_cast<double>(b[i]) * b[i];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

TEST(TagTerms, WordsPairsAndTheWholeTag) {
    EXPECT_EQ(search::tag_terms("dream pop"),
              (std::vector<std::string>{"dream", "pop", "dream pop"}));
    EXPECT_EQ(search::tag_terms("post-rock"),
              (std::vector<std::string>{"post", "rock", "post rock"}));
    EXPECT_EQ(search::tag_terms("  a b c "),
              (std::vector<std::string>{"a", "b", "c", "a b", "b c", "a b c"}));
    EXPECT_EQ(search::tag_terms("кино"), (std::vector<std::string>{"кино"}));
    EXPECT_TRUE(search::tag_terms(" / ").empty());
}

// 40 documents over 120 distinct tags (more terms than the 64 dimensions), built from 20 patterns
// so that the matrix's rank is at most 20: the truncated SVD keeps every direction, and cosines
// in the reduced space equal the exact TF-IDF cosines (a model of 400 dimensions, the identity).
TEST(TagModel, ReducedCosinesEqualExactTfIdfCosinesWhenTheRankFits) {
    std::mt19937 random(5);
    std::vector<TagDocument> docs;
    for (int d = 0; d < 40; ++d) {
        TagDocument doc{d, {}};
        int pattern = d % 20;
        for (int t = 0; t < 6; ++t)
            doc.tags.emplace_back("tag" + std::to_string((pattern * 6 + t) % 120), 1.0 + t % 3);
        docs.push_back(doc);
    }
    TagModel reduced = TagModel::fit(docs, 64);
    TagModel exact = TagModel::fit(docs, 400);
    ASSERT_EQ(reduced.terms(), 120u);
    for (int i = 0; i < 200; ++i) {
        const auto& a = docs[random() % docs.size()].tags;
        const auto& b = docs[random() % docs.size()].tags;
        EXPECT_NEAR(cosine(reduced.embed(a), reduced.embed(b)),
                    cosine(exact.embed(a), exact.embed(b)), 1e-4);
    }
    // Unrelated patterns stay apart, equal ones together.
    EXPECT_NEAR(cosine(reduced.embed(docs[0].tags), reduced.embed(docs[20].tags)), 1.0, 1e-4);
    EXPECT_NEAR(cosine(reduced.embed(docs[0].tags), reduced.embed(docs[5].tags)), 0.0, 1e-4);
}

TEST(TagModel, AQueryLandsBesideTheDocumentsTaggedSo) {
    std::vector<TagDocument> docs = {
        {1, {{"shoegaze", 2}, {"dream pop", 1}, {"dreamy", 1}}},
        {2, {{"shoegaze", 1}, {"noise rock", 1}}},
        {3, {{"thrash metal", 2}, {"metal", 1}}},
        {4, {{"dream pop", 1}, {"indie", 1}}},
    };
    for (int dimension : {4, 64}) {  // 4: the SVD path (12 terms), rank 4
        TagModel m = TagModel::fit(docs, dimension);
        auto q = m.embed_query("dreamy shoegaze");
        std::vector<double> score;
        for (const auto& d : docs)
            score.push_back(cosine(q, m.embed(d.tags)));
        EXPECT_GT(score[0], score[1]) << dimension;
        EXPECT_GT(score[0], score[2]) << dimension;
        EXPECT_GT(score[1], score[2] + 0.1) << dimension;
        EXPECT_LT(score[2], 0.15) << dimension;
    }
    TagModel m = TagModel::fit(docs, 64);
    auto unknown = m.embed_query("polka");
    EXPECT_EQ(cosine(unknown, unknown), 0.0);  // no known term: the zero vector
    EXPECT_THROW(TagModel::fit(docs, 0), std::invalid_argument);
}

TEST(TagModel, BytesRoundTripAndDamageIsRefused) {
    std::vector<TagDocument> docs = {{1, {{"ambient", 1}, {"drone", 1}}}, {2, {{"drone", 2}}}};
    TagModel m = TagModel::fit(docs, 8);
    std::string bytes = m.serialise();
    auto back = TagModel::deserialise(bytes);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->embed(docs[0].tags), m.embed(docs[0].tags));
    EXPECT_EQ(back->dimension(), 8);
    EXPECT_FALSE(TagModel::deserialise(bytes.substr(0, bytes.size() - 3)));
    EXPECT_FALSE(TagModel::deserialise(bytes + "x"));
    EXPECT_FALSE(TagModel::deserialise("garbage"));
    std::string huge = bytes;
    huge[21] = '\x7f';  // the term count's high byte: more terms than the bytes can hold
    EXPECT_FALSE(TagModel::deserialise(huge));
}

}  // namespace
}  // namespace sonique::test
