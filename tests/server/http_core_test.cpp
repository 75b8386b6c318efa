// The HTTP core against a real server, PostgreSQL and Redis: routing, errors, CORS, limits.
#include <gtest/gtest.h>

#include "support/test_server.hpp"

namespace sonique::test {
namespace {

class HttpCore : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("http_core", [](Config& c) { c.body_limit = 4096; });
    }
    static void TearDownTestSuite() { delete server_; }
    static TestServer* server_;
};
TestServer* HttpCore::server_ = nullptr;

TEST_F(HttpCore, HealthcheckAnswersWithAndWithoutTrailingSlash) {
    auto c = server_->client();
    for (const char* path : {"/api/healthcheck", "/api/healthcheck/", "/api/healthcheck/?a=1"}) {
        auto res = c->Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 200) << path;
        EXPECT_EQ(body_json(res)["status"], "healthy");
    }
}

TEST_F(HttpCore, UnknownRouteIs404WithDetail) {
    auto res = server_->client()->Get("/api/definitely-not-here");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(body_json(res), Json({{"detail", "Not Found"}}));
}

TEST_F(HttpCore, WrongMethodIs405) {
    auto res = server_->client()->Delete("/api/healthcheck");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(body_json(res)["detail"], "Method Not Allowed");
}

TEST_F(HttpCore, CorsHeadersAndPreflight) {
    auto c = server_->client();
    auto res = c->Get("/api/healthcheck");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "*");
    httplib::Headers h{{"Origin", "http://example.test"},
                       {"Access-Control-Request-Method", "POST"},
                       {"Access-Control-Request-Headers", "content-type"}};
    auto pre = c->Options("/api/artists/", h);
    ASSERT_TRUE(pre);
    EXPECT_EQ(pre->status, 204);
    EXPECT_EQ(pre->get_header_value("Access-Control-Allow-Origin"), "*");
    EXPECT_NE(pre->get_header_value("Access-Control-Allow-Methods").find("POST"),
              std::string::npos);
    EXPECT_EQ(pre->get_header_value("Access-Control-Allow-Headers"), "content-type");
}

TEST_F(HttpCore, OversizedBodyIs413WithDetail) {
    std::string big(8192, 'x');
    auto res = server_->client()->Post("/api/healthcheck", big, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(body_json(res)["detail"], "Request Entity Too Large");
}

TEST_F(HttpCore, MalformedJsonIs422WithTheListForm) {
    auto c = server_->client();
    for (std::string body : {"{\"name\": ", "not json", "{\"name\": \"\xff\"}", ""}) {
        auto res = c->Post("/api/artists/", body, "application/json");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << body;
        Json j = body_json(res);
        ASSERT_TRUE(j["detail"].is_array()) << res->body;
        EXPECT_EQ(j["detail"][0]["loc"][0], "body");
        EXPECT_TRUE(j["detail"][0]["msg"].is_string());
        EXPECT_TRUE(j["detail"][0]["type"].is_string());
    }
}

TEST_F(HttpCore, WrongTypesAre422NeverServerErrors) {
    auto c = server_->client();
    for (std::string body : {R"({"name": 5})", R"({"name": null})", R"([1,2])", R"({})"}) {
        auto res = c->Post("/api/artists/", body, "application/json");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << body << " -> " << res->body;
        EXPECT_TRUE(body_json(res)["detail"].is_array());
    }
    auto res = c->Get("/api/artists/?limit=abc");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(body_json(res)["detail"][0]["loc"], Json({"query", "limit"}));
    res = c->Get("/api/artists/not-a-number");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(body_json(res)["detail"][0]["loc"], Json({"path", "id"}));
}

TEST_F(HttpCore, OpenApiDocumentAndDocsPage) {
    auto c = server_->client();
    auto res = c->Get("/api/openapi.json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Json doc = body_json(res);
    EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
    EXPECT_TRUE(doc["paths"].contains("/api/healthcheck"));
    auto page = c->Get("/api/docs");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("/api/openapi.json"), std::string::npos);
    EXPECT_EQ(c->Get("/api/docs/..%2F..%2Fetc%2Fpasswd")->status, 404);
}

TEST_F(HttpCore, ETagYields304) {
    auto c = server_->client();
    auto first = c->Get("/api/openapi.json");
    ASSERT_TRUE(first);
    std::string etag = first->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    auto second = c->Get("/api/openapi.json", {{"If-None-Match", etag}});
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 304);
    EXPECT_TRUE(second->body.empty());
}

}  // namespace
}  // namespace sonique::test
