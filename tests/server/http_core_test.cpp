// The HTTP core against a real server, PostgreSQL and Redis: routing, errors, CORS, limits.
#include <gtest/gtest.h>

#include "db/connection.hpp"
#include "support/raw_http.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

class HttpCore : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("http_core", [](Config& c) {
            c.body_limit = 16384;
            c.encryption_key = "a-test-key-of-sufficient-length";
        });
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
    std::string big(32768, 'x');
    auto res = server_->client()->Post("/api/healthcheck", big, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(body_json(res)["detail"], "Request Entity Too Large");
}

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body
// (`curl -X POST url` sends one). It is answered as with Content-Length: 0, and the
// connection then carries the next request.
TEST_F(HttpCore, ARequestWithoutContentLengthHasAnEmptyBody) {
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"POST", "/api/settings/validate-path-template?template=%7Bartist%7D"},
        {"PUT", "/api/settings/k1"},
        {"POST", "/api/artists/"},
        {"POST", "/api/playqueue/tracks/move"},
        {"PATCH", "/api/artists/1"},
        {"DELETE", "/api/artists/987654"}};
    const std::string health = "GET /api/healthcheck HTTP/1.1\r\nHost: t\r\n\r\n";
    for (const auto& [method, target] : requests) {
        const std::string what = method + " " + target;
        const std::string head = what + " HTTP/1.1\r\nHost: t\r\n";
        RawConnection conn(server_->port());
        auto with = conn.exchange(head + "Content-Length: 0\r\n\r\n");
        auto without = conn.exchange(head + "\r\n");
        ASSERT_TRUE(with) << what;
        ASSERT_TRUE(without) << what << ": no answer";
        EXPECT_NE(with->status, 400) << what << ": " << with->body;
        EXPECT_EQ(without->status, with->status) << what << ": " << without->body;
        EXPECT_EQ(without->body, with->body) << what;
        auto next = conn.exchange(health);
        ASSERT_TRUE(next) << what << ": the connection did not carry on";
        EXPECT_EQ(next->status, 200) << what;
        EXPECT_EQ(parse_json(next->body)["status"], "healthy") << what;
    }
    RawConnection conn(server_->port());
    auto valid = conn.exchange(
        "POST /api/settings/validate-path-template?template=%7Bartist%7D HTTP/1.1\r\n"
        "Host: t\r\n\r\n");
    ASSERT_TRUE(valid);
    EXPECT_EQ(valid->status, 200);
    EXPECT_EQ(parse_json(valid->body), Json({{"is_valid", true}, {"template", "{artist}"}}));
    auto missing = conn.exchange("PUT /api/settings/k1 HTTP/1.1\r\nHost: t\r\n\r\n");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 422) << missing->body;
    EXPECT_EQ(parse_json(missing->body)["detail"][0]["loc"][0], "body");
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

TEST_F(HttpCore, ValuesTheDatabaseRefusesAre422NotServerErrors) {
    auto c = server_->client();
    // Incompressible and too large for a btree index entry (~2.7 KB).
    std::string name;
    uint32_t x = 12345;
    for (int i = 0; i < 9000; ++i) {
        x = x * 1103515245 + 12345;
        name += static_cast<char>('a' + (x >> 16) % 26);
    }
    auto res = c->Post("/api/artists/", dump_json(Json{{"name", name}}), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422) << res->body.substr(0, 300);
    EXPECT_TRUE(body_json(res)["detail"].is_array());
    EXPECT_EQ(res->body.find("index"), std::string::npos) << "no database internals";
    res = c->Get("/api/tasks/status/%FF%FE");
    ASSERT_TRUE(res);
    EXPECT_LT(res->status, 500) << res->body;
}

TEST_F(HttpCore, PutWithoutTheFlagKeepsASettingEncrypted) {
    auto c = server_->client();
    auto res =
        c->Post("/api/settings/", R"({"key":"lastfm_secret","value":"s1","is_encrypted":true})",
                "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    res = c->Put("/api/settings/lastfm_secret", R"({"value":"s2"})", "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json j = body_json(res);
    EXPECT_EQ(j["is_encrypted"], true);
    EXPECT_EQ(j["value"], "s2");
    db::Connection conn({server_->database_url(), 0, 5});
    auto stored = conn.exec("SELECT value FROM settings WHERE key = 'lastfm_secret'");
    EXPECT_NE(stored.str(0, 0), "s2") << "stored in plain text";
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

TEST_F(HttpCore, ASecondServerOnTheSamePortIsRefused) {
    // httplib's default SO_REUSEPORT would let both listen and split the requests between them.
    const int port = server_->port();
    EXPECT_THROW(TestServer("http_core_second",
                            [&](Config& c) {
                                c.port = port;
                                c.database_url = server_->database_url();
                            }),
                 std::runtime_error);
    auto res = server_->client()->Get("/api/healthcheck");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

}  // namespace
}  // namespace sonique::test
