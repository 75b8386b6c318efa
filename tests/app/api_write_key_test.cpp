// SONIQUE_API_WRITE_KEY_REQUIRED: with it on, writes to /api/* need an administrator's API key
// (X-API-Key or Authorization: Bearer) and reads stay open; with it off (the default) nothing
// changes for the NiceGUI frontend.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "core/log.hpp"

#include "services/users.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

namespace fs = std::filesystem;
constexpr const char* kKeyEncryption = "api-write-key-test-0123456789";

class ApiWriteKey : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        root_ = new std::string(
            (fs::temp_directory_path() / ("sonique-write-key-" + unique_suffix())).string());
        fs::create_directories(*root_);
        on_ = new TestServer("write_key_on", [](Config& c) {
            c.api_write_key_required = true;
            c.encryption_key = kKeyEncryption;
            c.music_roots = {*root_};
        });
        services::UserService users(on_->runtime().services());
        services::UserRoles admin;
        admin.admin = true;
        users.create("boss", "boss-password", "", admin);
        users.create("listener", "listener-password", "", services::UserRoles{});
        admin_key_ = new std::string(*users.create_api_key("boss"));
        user_key_ = new std::string(*users.create_api_key("listener"));
    }
    static void TearDownTestSuite() {
        delete on_;
        fs::remove_all(*root_);
        delete root_;
        delete admin_key_;
        delete user_key_;
    }

    static httplib::Result post(const std::string& path, const std::string& body,
                                const httplib::Headers& headers = {}) {
        return on_->client()->Post(path.c_str(), headers, body, "application/json");
    }
    // The refusal's detail, or "" when the request was not refused by the guard.
    static std::string refusal(const httplib::Result& res) {
        if (!res || (res->status != 401 && res->status != 403)) return "";
        return body_json(res)["detail"].get<std::string>();
    }

    static TestServer* on_;
    static std::string* root_;
    static std::string* admin_key_;
    static std::string* user_key_;
};
TestServer* ApiWriteKey::on_ = nullptr;
std::string* ApiWriteKey::root_ = nullptr;
std::string* ApiWriteKey::admin_key_ = nullptr;
std::string* ApiWriteKey::user_key_ = nullptr;

TEST_F(ApiWriteKey, WritesWithoutAKeyAre401WithADetail) {
    auto res = post("/api/artists/", R"({"name": "Nobody"})");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 401);
    EXPECT_EQ(res->get_header_value("WWW-Authenticate"), "Bearer");
    EXPECT_NE(refusal(res).find("X-API-Key"), std::string::npos) << res->body;
    // Nothing was written.
    auto list = body_json(on_->client()->Get("/api/artists/search?name=Nobody"));
    EXPECT_TRUE(list.is_array() && list.empty()) << list.dump();

    auto c = on_->client();
    EXPECT_EQ(c->Put("/api/artists/1", R"({"name": "x"})", "application/json")->status, 401);
    EXPECT_EQ(c->Delete("/api/artists/1")->status, 401);
    EXPECT_EQ(c->Patch("/api/artists/1", R"({"name": "x"})", "application/json")->status, 405)
        << "no PATCH route: the router's answer, not the guard's";
    EXPECT_EQ(c->Delete("/api/playqueue")->status, 401);
}

TEST_F(ApiWriteKey, TheScanTriggerIsAWrite) {
    auto refused = post("/api/scan", "{}");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 401) << refused->body;
    auto started = post("/api/scan", "{}", {{"X-API-Key", *admin_key_}});
    ASSERT_TRUE(started);
    EXPECT_EQ(started->status, 201) << started->body;
    EXPECT_TRUE(body_json(started).contains("task_id"));
}

TEST_F(ApiWriteKey, AnAdministratorsKeyInEitherHeaderIsAccepted) {
    auto a = post("/api/artists/", R"({"name": "Keyed One"})", {{"X-API-Key", *admin_key_}});
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, 200) << a->body;
    auto b = post("/api/artists/", R"({"name": "Keyed Two"})",
                  {{"Authorization", "Bearer " + *admin_key_}});
    ASSERT_TRUE(b);
    EXPECT_EQ(b->status, 200) << b->body;
    auto lower = post("/api/artists/", R"({"name": "Keyed Three"})",
                      {{"Authorization", "bearer  " + *admin_key_ + " "}});
    ASSERT_TRUE(lower);
    EXPECT_EQ(lower->status, 200)
        << "the scheme is case-insensitive, blanks around the key ignored";
    int64_t id = body_json(a)["id"].get<int64_t>();
    auto del = on_->client()->Delete(("/api/artists/" + std::to_string(id)).c_str(),
                                     {{"X-API-Key", *admin_key_}});
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 204);
}

TEST_F(ApiWriteKey, WrongRevokedOrNonAdministratorKeysAreRefused) {
    std::string wrong = *admin_key_;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G1"})", {{"X-API-Key", wrong}})),
              "Invalid API key");
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G1"})", {{"X-API-Key", "garbage"}})),
              "Invalid API key");
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G1"})", {{"Authorization", "Basic abc"}})),
              "API key required: send an administrator's key in the X-API-Key header")
        << "only the Bearer scheme carries a key";
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G1"})", {{"X-API-Key", ""}})),
              "API key required: send an administrator's key in the X-API-Key header");
    // X-API-Key wins over Authorization: a wrong one is not rescued by a good Bearer.
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G1"})",
                           {{"X-API-Key", wrong}, {"Authorization", "Bearer " + *admin_key_}})),
              "Invalid API key");

    auto user = post("/api/genres/", R"({"name": "G1"})", {{"X-API-Key", *user_key_}});
    ASSERT_TRUE(user);
    EXPECT_EQ(user->status, 403);
    EXPECT_EQ(refusal(user), "This API key's user is not an administrator");

    services::UserService users(on_->runtime().services());
    std::string temporary = *users.create_api_key("boss");
    EXPECT_EQ(post("/api/genres/", R"({"name": "G2"})", {{"X-API-Key", temporary}})->status, 201);
    ASSERT_TRUE(users.revoke_api_key("boss", temporary.substr(0, 16)));
    EXPECT_EQ(refusal(post("/api/genres/", R"({"name": "G3"})", {{"X-API-Key", temporary}})),
              "Invalid API key");
}

TEST_F(ApiWriteKey, ReadsAndGraphqlQueriesStayOpenMutationsNeedTheKey) {
    auto c = on_->client();
    EXPECT_EQ(c->Get("/api/artists/")->status, 200);
    EXPECT_EQ(c->Get("/api/healthcheck")->status, 200);
    EXPECT_EQ(c->Get("/api/scan-sessions/")->status, 200);
    auto options = c->Options("/api/artists/");
    ASSERT_TRUE(options);
    EXPECT_LT(options->status, 300) << "the CORS preflight carries no key";

    // The search layer's POSTs are queries (contract §13): open too.
    auto search = post("/api/search/", R"({"query": "anything"})");
    ASSERT_TRUE(search);
    EXPECT_EQ(search->status, 200) << search->body;
    auto vectors = post("/api/embeddings/search", R"({"query_vector": [1.0, 0.0]})");
    ASSERT_TRUE(vectors);
    EXPECT_NE(vectors->status, 401) << vectors->body;

    auto query = post("/api/graphql", R"({"query": "{ artists { id } }"})");
    ASSERT_TRUE(query);
    EXPECT_EQ(query->status, 200) << query->body;
    EXPECT_FALSE(body_json(query).contains("errors")) << query->body;

    std::string mutation =
        R"({"query": "mutation { upsertArtist(data: {name: \"Via GraphQL\"}) { id } }"})";
    EXPECT_EQ(post("/api/graphql", mutation)->status, 401);
    // Hidden after a query in the same document: still a mutation.
    EXPECT_EQ(post("/api/graphql",
                   R"({"query": "query A { artists { id } } mutation B { x }",
                       "operationName": "A"})")
                  ->status,
              401);
    auto keyed = post("/api/graphql", mutation, {{"X-API-Key", *admin_key_}});
    ASSERT_TRUE(keyed);
    EXPECT_EQ(keyed->status, 200) << keyed->body;
    // Not known to be a read: the check fails closed. With the key, the route's own 400.
    EXPECT_EQ(post("/api/graphql", "not json")->status, 401);
    EXPECT_EQ(post("/api/graphql", R"({"query": "mutation {"})")->status, 401);
    EXPECT_EQ(post("/api/graphql", "not json", {{"X-API-Key", *admin_key_}})->status, 400);
    auto syntax = post("/api/graphql", R"({"query": "query {"})", {{"X-API-Key", *admin_key_}});
    ASSERT_TRUE(syntax);
    EXPECT_EQ(syntax->status, 200) << "a syntax error is the engine's answer";
    EXPECT_TRUE(body_json(syntax).contains("errors")) << syntax->body;
}

// Neither a good nor a bad key reaches the log (the access log at info level included).
TEST_F(ApiWriteKey, KeysAreNeverLogged) {
    const log::Level before = log::level();
    log::set_level(log::Level::kInfo);
    std::string path = "/tmp/sonique-write-key-log-" + unique_suffix();
    fflush(stderr);
    int saved = dup(2);
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    dup2(fileno(f), 2);
    const std::string bad = "0123456789abcdef.badsecretbadsecret";
    post("/api/genres/", R"({"name": "Logged"})", {{"X-API-Key", bad}});
    post("/api/genres/", R"({"name": "Logged"})", {{"Authorization", "Bearer " + *admin_key_}});
    std::string text;
    for (int i = 0; i < 100; ++i) {
        fflush(stderr);
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
        if (text.find("POST /api/genres/") != std::string::npos &&
            text.find("failed login") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    std::fclose(f);
    std::remove(path.c_str());
    log::set_level(before);
    EXPECT_NE(text.find("POST /api/genres/"), std::string::npos) << text;
    EXPECT_NE(text.find("failed login (API key)"), std::string::npos) << text;
    EXPECT_EQ(text.find("badsecret"), std::string::npos) << text;
    EXPECT_EQ(text.find(admin_key_->substr(17)), std::string::npos) << text;
}

// The default: every write is answered as before, with or without a header.
TEST(ApiWriteKeyOff, WritesNeedNoKey) {
    TestServer off("write_key_off");
    auto c = off.client();
    auto a = c->Post("/api/artists/", R"({"name": "Open"})", "application/json");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->status, 200) << a->body;
    auto b = c->Post("/api/artists/", {{"X-API-Key", "garbage"}}, R"({"name": "Open Two"})",
                     "application/json");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->status, 200) << "a header is ignored when the setting is off";
    EXPECT_EQ(
        c->Delete(("/api/artists/" + std::to_string(body_json(a)["id"].get<int64_t>())).c_str())
            ->status,
        204);
}

}  // namespace
}  // namespace sonique::test
