// /api/settings: defaults, lists, encryption, path templates, hostile input; and the media
// routes answering the same with Redis unreachable.
#include <gtest/gtest.h>

#include "media_support.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

class SettingsApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer(
            "settings", [](Config& c) { c.encryption_key = "test-secret-of-32-characters-xyz"; });
    }
    static void TearDownTestSuite() { delete server_; }
    static httplib::Result post(const Json& body) {
        return server_->client()->Post("/api/settings/", body.dump(), "application/json");
    }
    static TestServer* server_;
};
TestServer* SettingsApi::server_ = nullptr;

TEST_F(SettingsApi, DefaultsAreCreatedOnFirstReadAsLists) {
    auto c = server_->client();
    auto res = c->Get("/api/settings/album_cover_files");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Json s = body_json(res);
    EXPECT_EQ(s["value"], Json({"cover.jpg", "folder.jpg"}));
    EXPECT_EQ(s["key"], "album_cover_files");
    EXPECT_EQ(s["is_encrypted"], false);
    for (const char* f : {"id", "description", "date_added", "date_modified"})
        EXPECT_TRUE(s.contains(f)) << f;
    Json artist = body_json(c->Get("/api/settings/artist_image_files"));
    ASSERT_TRUE(artist["value"].is_array());
    EXPECT_EQ(artist["value"][0], "folder.jpg");
    EXPECT_EQ(artist["value"][1], "fanart.jpg");
    EXPECT_EQ(artist["value"][2], "artist.jpg");
    Json tmpl = body_json(c->Get("/api/settings/music_path_template"));
    EXPECT_EQ(tmpl["value"], "{album_artist}/{album}/{disc_track} - {artist} - {title}");
    // Second read: the same row.
    EXPECT_EQ(body_json(c->Get("/api/settings/album_cover_files"))["id"], s["id"]);
}

TEST_F(SettingsApi, UnknownKeyIs404) {
    auto c = server_->client();
    for (const char* path :
         {"/api/settings/nope", "/api/settings/%2E%2E", "/api/settings/..%5Cx"}) {
        auto res = c->Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 404) << path;
        EXPECT_EQ(body_json(res)["detail"], "Paramètre non trouvé") << path;
    }
    // Encoded slashes are decoded before routing: no route matches.
    auto slashes = c->Get("/api/settings/..%2F..%2Fetc%2Fpasswd");
    EXPECT_EQ(slashes->status, 404);
    EXPECT_EQ(body_json(slashes)["detail"], "Not Found");
    EXPECT_EQ(c->Put("/api/settings/nope", R"({"value":"x"})", "application/json")->status, 404);
    EXPECT_EQ(c->Get("/api/settings/%FF%FE")->status, 422);
    EXPECT_EQ(c->Get("/api/settings/a%00b")->status, 422);
}

TEST_F(SettingsApi, CreateListUpdate) {
    auto res = post({{"key", "theme"}, {"value", "dark"}, {"description", "UI theme"}});
    ASSERT_EQ(res->status, 200) << res->body;
    Json s = body_json(res);
    EXPECT_EQ(s["value"], "dark");
    EXPECT_EQ(s["description"], "UI theme");
    auto dup = post({{"key", "theme"}, {"value", "light"}});
    EXPECT_EQ(dup->status, 400);
    EXPECT_EQ(body_json(dup)["detail"], "Clé existe déjà");

    auto c = server_->client();
    auto put = c->Put("/api/settings/theme", Json{{"value", Json::array({"a", "b"})}}.dump(),
                      "application/json");
    ASSERT_EQ(put->status, 200) << put->body;
    Json updated = body_json(put);
    EXPECT_EQ(updated["value"], Json({"a", "b"}));
    EXPECT_EQ(updated["description"], "UI theme");
    Json all = body_json(c->Get("/api/settings"));
    ASSERT_TRUE(all.is_array());
    bool found = false;
    for (const auto& item : all)
        found = found || item["key"] == "theme";
    EXPECT_TRUE(found);
}

TEST_F(SettingsApi, EncryptedValuesAreStoredEncryptedAndReturnedDecrypted) {
    auto res = post({{"key", "lastfm_api_key"}, {"value", "s3cr3t-value"}, {"is_encrypted", true}});
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(body_json(res)["value"], "s3cr3t-value");
    EXPECT_EQ(body_json(server_->client()->Get("/api/settings/lastfm_api_key"))["value"],
              "s3cr3t-value");
    auto conn = connect(server_->database_url());
    auto r = conn.exec("SELECT value FROM settings WHERE key = 'lastfm_api_key'");
    EXPECT_EQ(r.str(0, 0).find("s3cr3t"), std::string::npos);
    // Two encryptions of the same value differ (random nonce).
    auto other = post({{"key", "other_secret"}, {"value", "s3cr3t-value"}, {"is_encrypted", true}});
    auto r2 = conn.exec("SELECT value FROM settings WHERE key = 'other_secret'");
    EXPECT_NE(r.str(0, 0), r2.str(0, 0));
}

TEST_F(SettingsApi, AnotherKeyCannotDecryptAndNothingFails) {
    ASSERT_EQ(post({{"key", "rotated"}, {"value", "v"}, {"is_encrypted", true}})->status, 200);
    const std::string url = server_->database_url();
    TestServer other("settings_other_key", [url](Config& c) {
        c.database_url = url;
        c.encryption_key = "a-completely-different-secret-key";
    });
    auto res = other.client()->Get("/api/settings/rotated");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_TRUE(body_json(res)["value"].is_null());
    EXPECT_EQ(other.client()->Get("/api/settings")->status, 200);
}

TEST_F(SettingsApi, PutOnADefaultKeyCreatesItFirst) {
    auto res = server_->client()->Put("/api/settings/artist_image_files", R"({"value":["a.jpg"]})",
                                      "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(body_json(res)["value"], Json({"a.jpg"}));
    EXPECT_EQ(body_json(res)["description"], "System setting: artist_image_files");
    // Restore the default so that test order does not matter.
    Json restore = {{"value", {"folder.jpg", "fanart.jpg", "artist.jpg"}}};
    EXPECT_EQ(server_->client()
                  ->Put("/api/settings/artist_image_files", restore.dump(), "application/json")
                  ->status,
              200);
}

TEST_F(SettingsApi, HostileBodiesAre422) {
    const std::vector<std::string> bodies = {"not json",
                                             "[]",
                                             R"({"value":"x"})",
                                             R"({"key":5,"value":"x"})",
                                             R"({"key":"k1"})",
                                             R"({"key":"k2","value":12})",
                                             R"({"key":"k3","value":"x","is_encrypted":"yes"})",
                                             R"({"key":"","value":"x"})",
                                             "{\"key\":\"\xc3\x28\",\"value\":\"x\"}",
                                             R"({"key":"k4","value":"a\u0000b"})"};
    auto c = server_->client();
    for (const auto& body : bodies) {
        auto res = c->Post("/api/settings", body, "application/json");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << body;
    }
}

TEST_F(SettingsApi, PathVariablesAndTemplateValidation) {
    auto c = server_->client();
    Json vars = body_json(c->Get("/api/settings/path-variables"));
    EXPECT_TRUE(vars["variables"].contains("{artist}"));
    EXPECT_EQ(vars["example"], "{album_artist}/{album}/{disc_track} - {artist} - {title}");
    auto check = [&](const std::string& tmpl) {
        auto res = c->Post("/api/settings/validate-path-template?template=" +
                               httplib::detail::encode_query_param(tmpl),
                           "", "text/plain");
        EXPECT_EQ(res->status, 200);
        Json j = body_json(res);
        EXPECT_EQ(j["template"], tmpl);
        return j["is_valid"].get<bool>();
    };
    EXPECT_TRUE(check("{album_artist}/{album}/{track} - {title}"));
    EXPECT_FALSE(check("{album_artist}/{nope}/{title}"));
    EXPECT_FALSE(check("../{title}"));
    EXPECT_FALSE(check("/abs/{title}"));
    EXPECT_FALSE(check("{artist"));
    EXPECT_FALSE(check("plain/text"));
    EXPECT_FALSE(check("{artist}//{title}"));
    EXPECT_EQ(c->Post("/api/settings/validate-path-template", "", "text/plain")->status, 422);
}

class SettingsWithoutKey : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { server_ = new TestServer("settings_nokey"); }
    static void TearDownTestSuite() { delete server_; }
    static TestServer* server_;
};
TestServer* SettingsWithoutKey::server_ = nullptr;

TEST_F(SettingsWithoutKey, EncryptionWithoutKeyIs400) {
    auto res = server_->client()->Post(
        "/api/settings", R"({"key":"k","value":"v","is_encrypted":true})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_NE(body_json(res)["detail"].get<std::string>().find("ENCRYPTION_KEY"),
              std::string::npos);
}

// Redis unreachable (port 1): every media answer stays the same.
class MediaWithoutRedis : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("media_noredis", [](Config& c) { c.redis.port = 1; });
    }
    static void TearDownTestSuite() { delete server_; }
    static TestServer* server_;
};
TestServer* MediaWithoutRedis::server_ = nullptr;

TEST_F(MediaWithoutRedis, CoversSettingsAndQueueStillAnswer) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "No Redis Artist");
    const std::string path = "/api/covers/artist/" + std::to_string(artist);
    EXPECT_EQ(c->Get(path)->get_header_value("Content-Type"), "image/webp");
    auto put =
        c->Put(path, Json{{"cover_data", base64(png_bytes(30, 20))}}.dump(), "application/json");
    ASSERT_EQ(put->status, 200) << put->body;
    auto img = c->Get(path);
    EXPECT_EQ(img->status, 200);
    EXPECT_EQ(c->Get(path, {{"If-None-Match", img->get_header_value("ETag")}})->status, 304);
    EXPECT_EQ(c->Delete(path)->status, 200);
    EXPECT_EQ(body_json(c->Get("/api/settings/album_cover_files"))["value"],
              Json({"cover.jpg", "folder.jpg"}));
    int64_t track = insert_track(conn, "NR", "/nr.mp3", artist);
    auto q = c->Post("/api/playqueue/tracks", Json{{"id", track}}.dump(), "application/json");
    EXPECT_EQ(q->status, 200);
    EXPECT_EQ(body_json(q)["tracks"].size(), 1u);
}

}  // namespace
}  // namespace sonique::test
