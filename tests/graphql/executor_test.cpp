// Validation and execution against an in-memory schema: variables, fragments, aliases,
// directives, errors with locations and paths, null propagation, introspection, limits and
// batching (one resolver call per level).
#include <gtest/gtest.h>

#include "fake_schema.hpp"
#include "graphql/execute.hpp"

namespace sonique::test {
namespace {

class GraphqlExecutor : public ::testing::Test {
  protected:
    Json run(const std::string& query, Json vars = Json::object(), std::string op = "") {
        graphql::Request r{query, std::move(vars), std::move(op)};
        return Json::parse(engine_.execute(r, nullptr));
    }
    std::string first_error(const Json& res) {
        if (!res.contains("errors")) return "<no error>";
        return res["errors"][0]["message"].get<std::string>();
    }
    FakeCounters counters_;
    graphql::Engine engine_{make_fake_schema(counters_)};
};

TEST_F(GraphqlExecutor, NestedSelectionsAliasesAndTypename) {
    Json r =
        run("{ a: author(id: 1) { __typename id name books { title } } b: author(id: 9) { id } }");
    EXPECT_FALSE(r.contains("errors")) << r;
    EXPECT_EQ(r["data"]["a"]["__typename"], "Author");
    EXPECT_EQ(r["data"]["a"]["name"], "Ann");
    EXPECT_EQ(r["data"]["a"]["books"], Json::parse(R"([{"title":"B10"},{"title":"B11"}])"));
    EXPECT_TRUE(r["data"]["b"].is_null());
}

TEST_F(GraphqlExecutor, KeysFollowSelectionOrder) {
    graphql::Request r{"{ author(id: 2) { name id nickname } }", Json::object(), ""};
    EXPECT_EQ(engine_.execute(r, nullptr),
              R"({"data":{"author":{"name":"Bob","id":2,"nickname":"n2"}}})");
}

TEST_F(GraphqlExecutor, ResolvesEachFieldOncePerLevel) {
    Json r = run("{ authors { books { id } more: books(first: 1) { id } } }");
    EXPECT_FALSE(r.contains("errors")) << r;
    EXPECT_EQ(r["data"]["authors"].size(), 3u);
    EXPECT_EQ(r["data"]["authors"][2]["more"], Json::parse(R"([{"id":30}])"));
    EXPECT_EQ(counters_.books_calls.load(), 2);  // one call per field for the three authors
}

TEST_F(GraphqlExecutor, VariablesWithDefaultsAndCoercion) {
    const char* q =
        "query Q($id: Int = 2, $t: String, $l: [Int!], $f: BookFilter) { author(id: $id) { name } "
        "echo(text: $t, list: $l, filter: $f, n: 3) }";
    Json r = run(q, {{"t", "hi"}, {"l", 5}, {"f", {{"year", 2001}}}});
    EXPECT_FALSE(r.contains("errors")) << r;
    EXPECT_EQ(r["data"]["author"]["name"], "Bob");
    Json echoed = Json::parse(r["data"]["echo"].get<std::string>());
    EXPECT_EQ(echoed["list"], Json::array({5}));  // a single value becomes a list
    EXPECT_EQ(echoed["filter"], Json::parse(R"({"title":"x","year":2001})"));
    EXPECT_EQ(echoed["text"], "hi");
}

TEST_F(GraphqlExecutor, VariableErrorsStopExecution) {
    Json missing = run("query Q($id: Int!) { author(id: $id) { name } }");
    EXPECT_FALSE(missing.contains("data"));
    EXPECT_EQ(first_error(missing), "Variable \"$id\" of required type \"Int!\" was not provided.");
    EXPECT_EQ(missing["errors"][0]["locations"][0], Json::parse(R"({"line":1,"column":9})"));
    Json wrong = run("query Q($id: Int!) { author(id: $id) { name } }", {{"id", "one"}});
    EXPECT_FALSE(wrong.contains("data"));
    EXPECT_NE(first_error(wrong).find("Int cannot represent"), std::string::npos);
    Json big = run("query Q($id: Int!) { author(id: $id) { name } }", {{"id", 5000000000LL}});
    EXPECT_FALSE(big.contains("data"));
    Json unknown_key = run("query Q($f: BookFilter) { echo(filter: $f) }", {{"f", {{"nope", 1}}}});
    EXPECT_NE(first_error(unknown_key).find("\"nope\" is not defined"), std::string::npos);
    EXPECT_EQ(first_error(run("query Q($id: Int!) { a: author(id: $id) { id } }", Json::array())),
              "Variables must be an object.");
}

TEST_F(GraphqlExecutor, FragmentsInlineFragmentsAndDirectives) {
    const char* q = R"(query Q($yes: Boolean!) {
        author(id: 1) { ...Names ... on Author { id } ... @include(if: $yes) { nickname }
                        books @skip(if: $yes) { id } }
    }
    fragment Names on Author { name n2: name })";
    Json r = run(q, {{"yes", true}});
    EXPECT_FALSE(r.contains("errors")) << r;
    EXPECT_EQ(r["data"]["author"],
              Json::parse(R"({"name":"Ann","n2":"Ann","id":1,"nickname":"n1"})"));
    Json r2 = run(q, {{"yes", false}});
    EXPECT_EQ(r2["data"]["author"].size(), 4u);
    EXPECT_TRUE(r2["data"]["author"].contains("books"));
}

TEST_F(GraphqlExecutor, ValidationErrorsHaveLocationsAndNoData) {
    Json r = run("{\n  author(id: 1) {\n    nope\n  }\n}");
    EXPECT_FALSE(r.contains("data"));
    EXPECT_EQ(first_error(r), "Cannot query field \"nope\" on type \"Author\".");
    EXPECT_EQ(r["errors"][0]["locations"][0], Json::parse(R"({"line":3,"column":5})"));
    struct Case {
        const char* query;
        const char* message_part;
    };
    Case cases[] = {
        {"{ author { id } }", "Argument \"id\" of type \"Int!\" is required"},
        {"{ author(id: \"x\") { id } }", "Int cannot represent"},
        {"{ author(id: 1, zz: 2) { id } }", "Unknown argument \"zz\""},
        {"{ author(id: 1) }", "must have a selection of subfields"},
        {"{ author(id: 1) { id { x } } }", "must not have a selection"},
        {"{ ...F }", "Unknown fragment \"F\""},
        {"{ author(id: 1) { id } } fragment F on Author { id }", "Fragment \"F\" is never used"},
        {"{ author(id: 1) { ...F } } fragment F on Author { ...G } fragment G on Author { ...F }",
         "within itself"},
        {"{ author(id: 1) { ... on Book { id } } }", "can never be of type"},
        {"query Q($v: Int) { author(id: 1) { id } }", "Variable \"$v\" is never used"},
        {"{ author(id: $v) { id } }", "Variable \"$v\" is not defined"},
        {"query Q($v: Int) { author(id: $v) { id } }", "used in position expecting type \"Int!\""},
        {"query Q($v: Author) { author(id: 1) { id } }", "cannot be non-input type"},
        {"{ author(id: 1) { id @foo } }", "Unknown directive \"@foo\""},
        {"{ a: author(id: 1) { id } a: author(id: 2) { id } }", "conflict"},
        {"query A { authors { id } } query A { authors { id } }", "only one operation named"},
        {"{ authors { id } } query B { authors { id } }", "anonymous operation"},
        {"mutation { x }", "not configured to execute mutation"},
        {"subscription { x }", "not configured to execute subscription"},
        {"{ echo(color: BLUE) }", "Color cannot represent"},
        {"{ echo(filter: {year: \"x\"}) }", "Int cannot represent"},
    };
    for (const auto& c : cases) {
        Json res = run(c.query);
        EXPECT_FALSE(res.contains("data")) << c.query;
        EXPECT_NE(first_error(res).find(c.message_part), std::string::npos)
            << c.query << " -> " << res;
        EXPECT_TRUE(res["errors"][0].contains("locations")) << c.query;
    }
}

TEST_F(GraphqlExecutor, OperationSelection) {
    const char* q = "query A { authors(limit: 1) { id } } query B { authors(limit: 2) { id } }";
    EXPECT_EQ(run(q, Json::object(), "B")["data"]["authors"].size(), 2u);
    EXPECT_NE(first_error(run(q)).find("Must provide operation name"), std::string::npos);
    EXPECT_EQ(first_error(run(q, Json::object(), "C")), "Unknown operation named \"C\".");
}

TEST_F(GraphqlExecutor, FieldErrorsAndNullPropagation) {
    Json r = run("{ fail crash author(id: 1) { name } }");
    ASSERT_EQ(r["errors"].size(), 2u) << r;
    EXPECT_EQ(r["errors"][0]["message"], "it failed");
    EXPECT_EQ(r["errors"][0]["path"], Json::array({"fail"}));
    EXPECT_EQ(r["errors"][1]["message"], "Internal error");  // no internals leak
    EXPECT_TRUE(r["data"]["fail"].is_null());
    EXPECT_EQ(r["data"]["author"]["name"], "Ann");
    // Book.broken is String! and always null: each book becomes invalid, so the non-null list
    // item nulls the list, which is non-null too, so the author (nullable) becomes null.
    Json p = run("{ author(id: 2) { books { broken } } authors(limit: 1) { id } }");
    EXPECT_TRUE(p["data"]["author"].is_null()) << p;
    EXPECT_EQ(p["data"]["authors"], Json::parse(R"([{"id":1}])"));
    EXPECT_EQ(p["errors"][0]["message"], "Cannot return null for non-nullable field Book.broken.");
    EXPECT_EQ(p["errors"][0]["path"], Json::parse(R"(["author","books",0,"broken"])"));
}

TEST_F(GraphqlExecutor, Introspection) {
    Json r = run(R"({ __schema { queryType { name } mutationType { name } types { name kind }
        directives { name args { name type { kind ofType { name } } } } }
        __type(name: "Author") { name kind fields { name type { kind name ofType { kind name ofType { kind ofType { name } } } }
        args { name defaultValue } } } missing: __type(name: "Nope") { name } })");
    ASSERT_FALSE(r.contains("errors")) << r;
    const Json& s = r["data"]["__schema"];
    EXPECT_EQ(s["queryType"]["name"], "Query");
    EXPECT_TRUE(s["mutationType"].is_null());
    bool found = false;
    for (const auto& t : s["types"])
        found = found || (t["name"] == "BookFilter" && t["kind"] == "INPUT_OBJECT");
    EXPECT_TRUE(found);
    EXPECT_EQ(s["directives"][0]["args"][0]["type"]["kind"], "NON_NULL");
    const Json& books = r["data"]["__type"]["fields"][3];
    EXPECT_EQ(books["name"], "books");
    EXPECT_EQ(books["type"]["kind"], "NON_NULL");
    EXPECT_EQ(books["type"]["ofType"]["kind"], "LIST");
    EXPECT_EQ(books["type"]["ofType"]["ofType"]["ofType"]["name"], "Book");
    EXPECT_EQ(books["args"][0]["defaultValue"], "10");
    EXPECT_TRUE(r["data"]["missing"].is_null());
}

TEST_F(GraphqlExecutor, DepthFieldAndAliasLimits) {
    graphql::Limits tight;
    tight.max_depth = 3;
    tight.max_fields = 20;
    tight.max_aliases = 2;
    graphql::Engine e(make_fake_schema(counters_), tight);
    auto err = [&](const std::string& q) {
        Json r = Json::parse(e.execute({q, Json::object(), ""}, nullptr));
        return r.contains("errors") ? r["errors"][0]["message"].get<std::string>() : std::string();
    };
    EXPECT_EQ(err("{ authors { books { id } } }"), "");
    EXPECT_EQ(err("{ authors { ...F } } fragment F on Author { books { id } __typename }"), "");
    EXPECT_NE(
        err("{ a: authors { id } b: authors { id } c: authors { id } }").find("too many aliases"),
        std::string::npos);
    std::string wide = "{ authors {";
    for (int i = 0; i < 25; ++i)
        wide += " id";
    EXPECT_NE(err(wide + " } }").find("too many fields"), std::string::npos);
    // Fragments spread many times are counted each time (no exponential blow-up).
    std::string q = "{ authors { ...F0 } }";
    for (int i = 0; i < 30; ++i)
        q += " fragment F" + std::to_string(i) + " on Author { ...F" + std::to_string(i + 1) +
             " ...F" + std::to_string(i + 1) + " }";
    q += " fragment F30 on Author { id }";
    EXPECT_NE(err(q), "");
    graphql::Limits deep;
    deep.max_depth = 2;
    graphql::Engine d(make_fake_schema(counters_), deep);
    // Depth counts through fragments.
    Json r = Json::parse(
        d.execute({"{ authors { ...F } } fragment F on Author { ... on Author { books { id } } }",
                   Json::object(), ""},
                  nullptr));
    EXPECT_NE(r["errors"][0]["message"].get<std::string>().find("too deep"), std::string::npos);
    EXPECT_FALSE(r.contains("data"));
}

}  // namespace
}  // namespace sonique::test
