// CacheKeys (graphql/cache_key.hpp) over the fake schema: documents of the same meaning share a
// key, anything that changes the answer changes it, and what must never be cached has none.
#include <gtest/gtest.h>

#include "fake_schema.hpp"
#include "graphql/cache_key.hpp"

namespace sonique::test {
namespace {

class CacheKeyTest : public ::testing::Test {
  protected:
    CacheKeyTest() : engine_(make_fake_schema(counters_)), keys_(engine_) {}
    std::optional<std::string> key(const std::string& q, const Json& vars = Json::object(),
                                   const std::string& op = "") {
        return keys_.key({q, vars, op});
    }
    FakeCounters counters_;
    graphql::Engine engine_;
    graphql::CacheKeys keys_;
};

TEST_F(CacheKeyTest, SameMeaningSameKey) {
    auto k = key("query A($id: Int!) { author(id: $id) { id name books(first: 1) { title } } }",
                 {{"id", 2}});
    ASSERT_TRUE(k);
    // Whitespace, commas, comments, operation and variable names, a fragment, an alias that
    // repeats the field's name, variables the operation does not declare.
    EXPECT_EQ(key(R"(# comment
        query Other($x: Int!) {
          author(id: $x) { id, name: name ...F }
        }
        fragment F on Author { books(first: 1) { title } })",
                  {{"x", 2}, {"unused", true}}),
              k);
    // Argument and input-field order.
    EXPECT_EQ(key(R"({ echo(n: 1, text: "a", filter: {year: 1, title: "t"}) })"),
              key(R"({ echo(filter: {title: "t", year: 1}, text: "a", n: 1) })"));
    // A variable's default and the same value given.
    EXPECT_EQ(key("query($n: Int = 3) { echo(n: $n) }"),
              key("query($n: Int = 3) { echo(n: $n) }", {{"n", 3}}));
    // The operation picked by name.
    EXPECT_EQ(key("query A { authors { id } } query B { echo }", Json::object(), "A"),
              key("{ authors { id } }"));
}

TEST_F(CacheKeyTest, DifferentMeaningDifferentKey) {
    const std::string q = "query($id: Int!) { author(id: $id) { name } }";
    EXPECT_NE(key(q, {{"id", 1}}), key(q, {{"id", 2}}));
    EXPECT_NE(key("query($n: Int) { echo(n: $n) }"),
              key("query($n: Int) { echo(n: $n) }", {{"n", nullptr}}))
        << "an absent variable is not null";
    EXPECT_NE(key(R"({ echo(text: "a") })"), key(R"({ echo(text: "b") })"));
    EXPECT_NE(key("{ echo(color: RED) }"), key("{ echo(color: GREEN) }"));
    EXPECT_NE(key("{ a: echo }"), key("{ b: echo }")) << "aliases name the answer's keys";
    EXPECT_NE(key("{ authors { id name } }"), key("{ authors { name id } }"))
        << "selection order is the answer's key order";
    EXPECT_NE(key("{ echo @include(if: true) }"), key("{ echo @include(if: false) }"));
    const std::string two = "query A { authors { id } } query B { echo }";
    EXPECT_NE(key(two, Json::object(), "A"), key(two, Json::object(), "B"));
}

TEST_F(CacheKeyTest, NeverCached) {
    EXPECT_FALSE(key("{ __schema { queryType { name } } }"));
    EXPECT_FALSE(key("{ author(id: 1) { name } __type(name: \"Author\") { name } }"));
    EXPECT_FALSE(key("query { ...I } fragment I on Query { __schema { types { name } } }"));
    EXPECT_FALSE(key("mutation { echo }"));
    EXPECT_FALSE(key("subscription { echo }"));
    EXPECT_FALSE(key("{ author(id: 1) { nope } }"));  // invalid
    EXPECT_FALSE(key("{ echo"));                      // syntax error
    EXPECT_FALSE(key("query A { echo } query B { echo }")) << "no operation named";
    EXPECT_FALSE(key("{ echo }", Json::object(), "Missing"));
    EXPECT_FALSE(key("query($id: Int!) { author(id: $id) { name } }")) << "variable missing";
    EXPECT_FALSE(key("query($id: Int!) { author(id: $id) { name } }", {{"id", "x"}}));
    std::string aliases = "{";
    for (int i = 0; i <= 100; ++i)
        aliases += " a" + std::to_string(i) + ": echo";
    EXPECT_FALSE(key(aliases + " }")) << "past the alias limit";
    EXPECT_FALSE(key(std::string(65 * 1024, ' ') + "{ echo }")) << "past the size limit";
    EXPECT_TRUE(key("{ __typename authors { __typename id } }"));
}

}  // namespace
}  // namespace sonique::test
