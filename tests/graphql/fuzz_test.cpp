// Fuzzing the whole engine (parse, validate, execute against the in-memory schema) with
// mutated and random documents for a bounded time: SONIQUE_FUZZ_SECONDS (default 5; keep it
// small under qemu). Every answer must be a JSON object with "data" and/or a non-empty
// "errors" list, and nothing may crash or hang.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <random>

#include "fake_schema.hpp"
#include "graphql/execute.hpp"

namespace sonique::test {
namespace {

const char* kSeeds[] = {
    "query Q($id: Int = 2, $yes: Boolean!) { author(id: $id) { ...F books(first: 1) @include(if: "
    "$yes) { id title } } }\n"
    "fragment F on Author { id name nickname __typename }",
    "{ authors(limit: 2) { a: id b: name ... on Author { books { year } } } echo(text: "
    "\"x\\u00e9\", list: [1, 2], "
    "filter: {year: 3}, color: RED) }",
    "{ __schema { types { name kind fields(includeDeprecated: true) { name type { kind ofType { "
    "name } } } } } }",
    "{ __type(name: \"Book\") { name fields { name args { name defaultValue } } } fail }",
    "mutation M { x } subscription S { y } query Z { author(id: 1) { books { broken } } }",
    "query ($v: [Int!]! = [1]) { echo(list: $v, text: \"\"\" block \"\"\") }",
};

const char* kTokens[] = {
    "{",      "}",    "(",        ")",    "[",     "]",        "...",        "on",
    "$",      ":",    "!",        "=",    "@",     "|",        "&",          "\"",
    "\"\"\"", "\\u",  "#",        "\n",   "query", "fragment", "author",     "books",
    "id",     "1",    "-0",       "1e9",  "null",  "true",     "__typename", "@skip(if: true)",
    "$id",    "Int!", "{{{{{{{{", "]]]]", "\xff",  "\x00",     "\xc3\xa9"};

std::string mutate(std::string s, std::mt19937& rng) {
    // Mostly small edits, so that many documents still parse and reach the executor.
    int edits = rng() % 8 == 0 ? 0 : 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
        size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
        switch (rng() % 5) {
            case 0:  // delete a span
                if (!s.empty() && pos < s.size()) s.erase(pos, 1 + rng() % 8);
                break;
            case 1:  // insert a token
                s.insert(pos,
                         std::string(kTokens[rng() % std::size(kTokens)]) + (rng() % 2 ? " " : ""));
                break;
            case 2:  // flip a byte
                if (pos < s.size()) s[pos] = static_cast<char>(rng() % 256);
                break;
            case 3:  // duplicate a span (grows nesting and repetition)
                if (pos < s.size()) s.insert(pos, s.substr(pos, 1 + rng() % 40));
                break;
            default:  // splice from another seed
                s.insert(pos, std::string(kSeeds[rng() % std::size(kSeeds)]).substr(0, rng() % 60));
        }
    }
    return s;
}

Json random_variables(std::mt19937& rng) {
    Json values[] = {Json(),
                     Json(1),
                     Json(-5000000000LL),
                     Json("x"),
                     Json(true),
                     Json(1.5),
                     Json::array({1, "a"}),
                     Json::object({{"year", 1}}),
                     Json::object({{"bad", 1}})};
    Json v = Json::object();
    for (const char* k : {"id", "yes", "v"})
        if (rng() % 2) v[k] = values[rng() % std::size(values)];
    return v;
}

void check_response(const std::string& query, const std::string& out) {
    Json r = Json::parse(out, nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << "not JSON for: " << query;
    ASSERT_TRUE(r.is_object());
    ASSERT_TRUE(r.contains("data") || r.contains("errors")) << out;
    if (r.contains("errors")) {
        ASSERT_TRUE(r["errors"].is_array());
        ASSERT_FALSE(r["errors"].empty());
        for (const auto& e : r["errors"])
            ASSERT_TRUE(e["message"].is_string()) << out;
    }
    for (const auto& [k, _] : r.items())
        ASSERT_TRUE(k == "data" || k == "errors") << out;
}

TEST(GraphqlFuzz, RandomAndMutatedDocumentsNeverCrashOrHang) {
    const char* env = std::getenv("SONIQUE_FUZZ_SECONDS");
    double seconds = env ? std::atof(env) : 5.0;
    FakeCounters counters;
    graphql::Engine engine(make_fake_schema(counters));
    std::mt19937 rng(12345);
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    long runs = 0, answered_data = 0;
    while (std::chrono::steady_clock::now() < end || runs < 200) {
        std::string q = mutate(kSeeds[rng() % std::size(kSeeds)], rng);
        for (int depth = rng() % 4; depth > 0; --depth)
            q = mutate(q, rng);
        auto t0 = std::chrono::steady_clock::now();
        std::string out = engine.execute({q, random_variables(rng), rng() % 4 ? "" : "Q"}, nullptr);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - t0);
        ASSERT_LT(ms.count(), 2000) << "slow input: " << q;
        check_response(q, out);
        if (out.find("\"data\"") != std::string::npos) ++answered_data;
        if (HasFatalFailure()) return;
        ++runs;
    }
    RecordProperty("runs", std::to_string(runs));
    std::printf("fuzz: %ld documents, %ld executed with data\n", runs, answered_data);
    EXPECT_GT(answered_data, 0);  // the mutations must not all be rejected by the parser
}

TEST(GraphqlFuzz, PathologicalInputs) {
    FakeCounters counters;
    graphql::Engine engine(make_fake_schema(counters));
    std::vector<std::string> inputs = {
        std::string(100000, '{'),
        std::string(60000, '['),
        "{ a" + std::string(60000, '('),
        "query (" + std::string(30000, '$') + ")",
        std::string(65536, 'a'),
        std::string(65537, ' ') + "{}",
        "{ author(id: 1) { " + std::string(20000, '.') + " } }",
        "\"" + std::string(60000, '\\'),
    };
    std::string nested = "{ authors { ";
    for (int i = 0; i < 40; ++i)
        nested += "books { ";
    inputs.push_back(nested);
    for (const auto& in : inputs)
        check_response(in.substr(0, 40), engine.execute({in, Json::object(), ""}, nullptr));
}

}  // namespace
}  // namespace sonique::test
