// The one reader of an id in the path (server::Context::path_id): the status each text gets.
#include <gtest/gtest.h>
#include <httplib.h>

#include "core/error.hpp"
#include "server/context.hpp"

namespace sonique::server {
namespace {

constexpr int kOk = 200;

// The status a route answers for raw as {id}: 422, 404, or 200 when an id is read.
int status_of(const std::string& raw, bool not_found_is_error, int64_t* id = nullptr) {
    httplib::Request req;
    httplib::Response res;
    Context ctx(req, res, {{"id", raw}});
    try {
        int64_t v =
            not_found_is_error ? ctx.path_id("id", "Artiste non trouvé") : ctx.path_id("id");
        if (id) *id = v;
        return kOk;
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.issues().at(0).loc, (std::vector<std::string>{"path", "id"})) << raw;
        EXPECT_EQ(e.issues().at(0).type, "int_parsing") << raw;
        return 422;
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::kNotFound) << raw;
        EXPECT_EQ(e.detail(), "Artiste non trouvé") << raw;
        return 404;
    }
}

TEST(PathId, OneRuleForEveryRoute) {
    struct Case {
        const char* raw;
        int status;  // with a not-found detail
    };
    const Case cases[] = {
        {"12", kOk},
        {" 12 ", kOk},  // blanks around the digits are ignored
        {"9223372036854775807", kOk},
        {"0", 404},  // integers that no row can have
        {"-1", 404},
        {"-9223372036854775808", 404},
        {"9223372036854775808", 404},
        {"99999999999999999999", 404},
        {"", 422},  // not integers
        {" ", 422},
        {"abc", 422},
        {"12abc", 422},
        {"1.5", 422},
        {"1e3", 422},
        {"+5", 422},
        {"-", 422},
        {"--1", 422},
        {"1-2", 422},
        {"0x10", 422},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(status_of(c.raw, true), c.status) << '"' << c.raw << '"';
        // Without a detail the same texts are refused (422); an id no row can have reads as 0.
        int64_t id = -1;
        int lenient = status_of(c.raw, false, &id);
        EXPECT_EQ(lenient, c.status == 422 ? 422 : kOk) << '"' << c.raw << '"';
        if (c.status == 404) {
            EXPECT_EQ(id, 0) << '"' << c.raw << '"';
        }
    }
    int64_t id = 0;
    ASSERT_EQ(status_of("12", true, &id), kOk);
    EXPECT_EQ(id, 12);
    ASSERT_EQ(status_of(" 12 ", false, &id), kOk);
    EXPECT_EQ(id, 12);
}

TEST(PathId, UnknownParameterNameIsAProgrammingError) {
    httplib::Request req;
    httplib::Response res;
    Context ctx(req, res, {{"id", "1"}});
    EXPECT_THROW(ctx.path_id("track_id"), std::out_of_range);
}

}  // namespace
}  // namespace sonique::server
