// The parser: the full executable grammar, syntax errors with locations, and limits that keep
// hostile input from exhausting the stack or the CPU.
#include <gtest/gtest.h>

#include "graphql/parser.hpp"

namespace sonique::test {
namespace {

using namespace graphql;

GraphQLError parse_error(const std::string& text, const Limits& limits = {}) {
    try {
        parse(text, limits);
    } catch (const GraphQLError& e) {
        return e;
    }
    ADD_FAILURE() << "parsed: " << text;
    return GraphQLError("none");
}

TEST(GraphqlParser, ParsesTheFrontendQuery) {
    auto doc = parse(
        "query GetArtistDetails($artistId: Int!) { artist(id: $artistId) { id name covers { url } "
        "albums { id title releaseYear covers { url } tracks { id trackNumber title duration } } } "
        "}");
    ASSERT_EQ(doc.operations.size(), 1u);
    const auto& op = doc.operations[0];
    EXPECT_EQ(op.name, "GetArtistDetails");
    ASSERT_EQ(op.variables.size(), 1u);
    EXPECT_EQ(ast::to_string(op.variables[0].type), "Int!");
    const auto& artist = op.selections.at(0);
    EXPECT_EQ(artist.name, "artist");
    EXPECT_EQ(artist.arguments.at(0).value->kind, ast::Value::Kind::kVariable);
    EXPECT_EQ(artist.selections.size(), 4u);
    EXPECT_EQ(artist.selections[3].selections[4].selections.size(), 4u);
}

TEST(GraphqlParser, FragmentsDirectivesValuesAndStrings) {
    auto doc = parse(R"(
        # a comment
        query Q($a: [Int!]! = [1, 2], $b: String = "x\u00e9\n") @skip(if: false) {
          alias: field(o: {k: [1.5e3, -0, true, null, ENUM]}, s: """
              block
                indented
          """) @include(if: $c) { ...F ... on T { x } ... @skip(if: true) { y } }
        }
        fragment F on T { z }
    )");
    ASSERT_EQ(doc.fragments.size(), 1u);
    const auto& op = doc.operations.at(0);
    EXPECT_EQ(ast::to_string(op.variables[0].type), "[Int!]!");
    EXPECT_EQ(op.variables[1].default_value->text, "x\xC3\xA9\n");
    const auto& f = op.selections.at(0);
    EXPECT_EQ(f.alias, "alias");
    EXPECT_EQ(f.arguments[1].value->text, "block\n  indented");
    const auto& obj = *f.arguments[0].value;
    EXPECT_EQ(obj.fields[0].second->items.size(), 5u);
    EXPECT_EQ(f.selections[0].kind, ast::Selection::Kind::kSpread);
    EXPECT_EQ(f.selections[1].type_condition, "T");
    EXPECT_EQ(f.selections[2].kind, ast::Selection::Kind::kInline);
    EXPECT_TRUE(f.selections[2].type_condition.empty());
}

TEST(GraphqlParser, SyntaxErrorsCarryLocations) {
    auto e = parse_error("{\n  artist(id: 1 {\n}");
    EXPECT_NE(std::string(e.what()).find("Syntax Error"), std::string::npos);
    ASSERT_EQ(e.locations().size(), 1u);
    EXPECT_EQ(e.locations()[0].line, 2);
    EXPECT_EQ(e.locations()[0].column, 16);
    for (const char* bad : {"",
                            "{}",
                            "{ a",
                            "query",
                            "{ a(x: ) }",
                            "{ a(x: $) }",
                            "{ \"unterminated }",
                            "{ a(x: 01) }",
                            "{ a(x: 1.) }",
                            "{ a(x: \"\\q\") }",
                            "{ ..a }",
                            "fragment on on T { a }",
                            "type Query { a: Int }",
                            "{ a(x: {k: 1, k: 2}) }",
                            "query Q($v: Int = $w) { a }",
                            "{ a } }",
                            "{ a @ }",
                            "\x01",
                            "{ a(s: \"\xff\") }",
                            "{ a(s: \"\"\"\xc3\"\"\") }"})
        parse_error(bad);
}

TEST(GraphqlParser, DeepNestingIsAnErrorNotACrash) {
    std::string deep;
    for (int i = 0; i < 100000; ++i)
        deep += "{a";
    auto e = parse_error(deep, Limits{.max_query_bytes = 1 << 20});
    EXPECT_NE(std::string(e.what()).find("nested too deeply"), std::string::npos);
    std::string list = "{ a(x: " + std::string(100000, '[') + ") }";
    parse_error(list, Limits{.max_query_bytes = 1 << 20});
    std::string types = "query ($v: " + std::string(100000, '[') + "Int" + ") { a }";
    parse_error(types, Limits{.max_query_bytes = 1 << 20});
}

TEST(GraphqlParser, SizeAndTokenLimits) {
    std::string big = "{ a }" + std::string(70 * 1024, ' ');
    EXPECT_NE(std::string(parse_error(big).what()).find("too large"), std::string::npos);
    std::string many = "{";
    for (int i = 0; i < 12000; ++i)
        many += " a";
    many += " }";
    EXPECT_NE(std::string(parse_error(many).what()).find("too many tokens"), std::string::npos);
}

}  // namespace
}  // namespace sonique::test
