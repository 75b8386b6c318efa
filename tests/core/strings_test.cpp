#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "core/json.hpp"
#include "core/strings.hpp"

namespace sonique {
namespace {

TEST(Strings, ParseInt) {
    EXPECT_EQ(parse_int("42"), 42);
    EXPECT_EQ(parse_int("-7"), -7);
    EXPECT_EQ(parse_int("+7"), 7);
    EXPECT_FALSE(parse_int(""));
    EXPECT_FALSE(parse_int("4x"));
    EXPECT_FALSE(parse_int("99999999999999999999999"));
}

TEST(Strings, Utf8ValidationAndRepair) {
    EXPECT_TRUE(is_valid_utf8("Beyoncé 東京"));
    EXPECT_FALSE(is_valid_utf8("\xff\xfe"));
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
    EXPECT_EQ(sanitize_utf8("a\xffz"), "a\xEF\xBF\xBDz");
    EXPECT_TRUE(is_valid_utf8(sanitize_utf8("\xe2\x82")));
}

TEST(Strings, SplitTrimLower) {
    EXPECT_EQ(split("a;b;;c", ';'), (std::vector<std::string>{"a", "b", "", "c"}));
    EXPECT_EQ(trim("  x y \t"), "x y");
    EXPECT_EQ(to_lower("AbC"), "abc");
    EXPECT_EQ(url_decode("a%20b+c%2"), "a b c%2");
}

}  // namespace
}  // namespace sonique

namespace sonique {
namespace {

TEST(Strings, MarkupEscapingKeepsDocumentsWellFormed) {
    std::string out = "x";
    append_markup_escaped(out, "a&b<c>\"d'e\tf\x01g");
    EXPECT_EQ(out, "xa&amp;b&lt;c&gt;&quot;d&apos;e\tf\xEF\xBF\xBDg");
}

// What PostgreSQL's json functions write, and what a JSON parser reads back.
TEST(Strings, JsonStringsAreEscapedAsPostgresqlWritesThem) {
    std::string out = "x";
    append_json_string(out, "a\"b\\c/d\b\f\n\r\te\x01\x1f\x7f Björk ブルー");
    EXPECT_EQ(out, "x\"a\\\"b\\\\c/d\\b\\f\\n\\r\\te\\u0001\\u001f\x7f Björk ブルー\"");
    std::string text = "tab\there \"quoted\" \x02";
    std::string json;
    append_json_string(json, text);
    EXPECT_EQ(Json::parse(json).get<std::string>(), text);
    json.clear();
    append_json_string(json, "");
    EXPECT_EQ(json, "\"\"");
}

TEST(Strings, ShortestDoublesReadBackAsTheSameValue) {
    std::string out;
    for (double v : {1.0 / 61, 1.0 / 61 + 1.0 / 63, 0.5, 1e-05, 123456789.25, -2.0}) {
        out.clear();
        append_shortest_double(out, v);
        EXPECT_EQ(std::stod(out), v) << out;
    }
    out.clear();
    append_shortest_double(out, 1.0 / 61);
    EXPECT_EQ(out, "0.01639344262295082");  // what PostgreSQL writes for 1.0::float8 / 61
    out.clear();
    append_shortest_double(out, std::numeric_limits<double>::quiet_NaN());
    append_shortest_double(out, std::numeric_limits<double>::infinity());
    EXPECT_EQ(out, "00");
}

}  // namespace
}  // namespace sonique
