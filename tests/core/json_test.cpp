#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/json.hpp"

namespace sonique {
namespace {

TEST(Json, ParsesNestedValues) {
    Json j = parse_json(R"({"a":[1,-2,3.5,"x",true,null],"b":{"c":18446744073709551615}})");
    EXPECT_EQ(j["a"][1], -2);
    EXPECT_DOUBLE_EQ(j["a"][2].get<double>(), 3.5);
    EXPECT_TRUE(j["a"][5].is_null());
    EXPECT_EQ(j["b"]["c"].get<uint64_t>(), 18446744073709551615ULL);
}

TEST(Json, MalformedOrInvalidUtf8IsAValidationError) {
    for (std::string bad : {"{", "{\"a\":}", "nope", "{\"a\":\"\xff\"}", "[1,2"}) {
        try {
            parse_json(bad);
            FAIL() << "accepted " << bad;
        } catch (const ValidationError& e) {
            ASSERT_EQ(e.issues().size(), 1u);
            EXPECT_EQ(e.issues()[0].type, "json_invalid");
            EXPECT_EQ(e.issues()[0].loc.front(), "body");
        }
    }
}

TEST(Json, DumpReplacesInvalidUtf8) {
    Json j = std::string("a\xffz");
    EXPECT_EQ(dump_json(j), "\"a\xEF\xBF\xBDz\"");
}

}  // namespace
}  // namespace sonique
