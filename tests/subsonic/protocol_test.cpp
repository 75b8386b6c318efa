// The envelope of every answer (XML, JSON, JSONP), GET and POST, .view, the system methods and
// the access log.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

void expect_envelope_xml(const XmlNode& root, const std::string& status) {
    EXPECT_EQ(root.name, ns("subsonic-response"));
    EXPECT_EQ(root.attrs.at("status"), status);
    EXPECT_EQ(root.attrs.at("version"), "1.16.1");
    EXPECT_EQ(root.attrs.at("type"), "sonique");
    EXPECT_FALSE(root.attrs.at("serverVersion").empty());
    EXPECT_EQ(root.attrs.at("openSubsonic"), "true");
}

void expect_envelope_json(const Json& r, const std::string& status) {
    EXPECT_EQ(r["status"], status);
    EXPECT_EQ(r["version"], "1.16.1");
    EXPECT_EQ(r["type"], "sonique");
    EXPECT_TRUE(r["serverVersion"].is_string());
    EXPECT_EQ(r["openSubsonic"], true);
}

TEST(SubsonicProtocol, PingInXmlIsAnEmptyOkEnvelopeInTheSubsonicNamespace) {
    XmlNode root = shared_server().xml("ping", as_alice());
    expect_envelope_xml(root, "ok");
    EXPECT_TRUE(root.children.empty());
}

TEST(SubsonicProtocol, PingInJsonHasTheOpenSubsonicFields) {
    Json r = shared_server().json("ping", as_alice());
    expect_envelope_json(r, "ok");
    EXPECT_EQ(r.size(), 5u) << r.dump();
}

TEST(SubsonicProtocol, JsonpWrapsTheJsonInTheCallback) {
    auto res =
        shared_server().get("ping", as_alice() + Query{{"f", "jsonp"}, {"callback", "cb.x_1"}});
    ASSERT_TRUE(res);
    EXPECT_NE(res->get_header_value("Content-Type").find("javascript"), std::string::npos);
    const std::string& b = res->body;
    auto open = b.find("cb.x_1(");
    ASSERT_NE(open, std::string::npos) << b;
    ASSERT_GE(b.size(), 2u);
    EXPECT_EQ(b.substr(b.size() - 2), ");");
    Json j = Json::parse(b.substr(open + 7, b.size() - open - 9));
    expect_envelope_json(j["subsonic-response"], "ok");
}

TEST(SubsonicProtocol, ViewSuffixAndPostFormAreTheSameMethod) {
    auto& s = shared_server();
    auto view = s.get("ping.view", as_alice() + Query{{"f", "json"}});
    ASSERT_TRUE(view);
    EXPECT_EQ(body_json(view)["subsonic-response"]["status"], "ok");
    // formPost: every parameter, credentials included, in the body.
    auto post = s.server().client()->Post(
        "/rest/ping.view",
        encode_query(as_alice() + Query{{"v", "1.16.1"}, {"c", "t"}, {"f", "json"}}),
        "application/x-www-form-urlencoded");
    ASSERT_TRUE(post);
    EXPECT_EQ(body_json(post)["subsonic-response"]["status"], "ok") << post->body;
}

TEST(SubsonicProtocol, GetLicenseIsValid) {
    Json r = shared_server().json("getLicense", as_alice());
    EXPECT_EQ(r["license"]["valid"], true);
    XmlNode x = shared_server().xml("getLicense", as_alice());
    ASSERT_NE(x.first(ns("license")), nullptr);
    EXPECT_EQ(x.first(ns("license"))->attrs.at("valid"), "true");
}

TEST(SubsonicProtocol, ExtensionsArePublicAndExactlyWhatIsImplemented) {
    // No credentials at all: the spec says this method must be public.
    Json r = shared_server().json("getOpenSubsonicExtensions", {});
    expect_envelope_json(r, "ok");
    Json expected = Json::parse(
        R"([{"name":"apiKeyAuthentication","versions":[1]},{"name":"formPost","versions":[1]},)"
        R"({"name":"indexBasedQueue","versions":[1]},{"name":"playbackReport","versions":[1]},)"
        R"({"name":"songLyrics","versions":[1]},{"name":"sonicSimilarity","versions":[1]},)"
        R"({"name":"topSongsByArtistId","versions":[1]},{"name":"transcodeOffset","versions":[1]}])");
    EXPECT_EQ(r["openSubsonicExtensions"], expected);
    XmlNode x = shared_server().xml("getOpenSubsonicExtensions", {});
    auto ext = x.all(ns("openSubsonicExtensions"));
    ASSERT_EQ(ext.size(), 8u);
    EXPECT_EQ(ext[0]->attrs.at("name"), "apiKeyAuthentication");
    ASSERT_EQ(ext[0]->all(ns("versions")).size(), 1u);
    EXPECT_EQ(ext[0]->first(ns("versions"))->text, "1");
}

TEST(SubsonicProtocol, MusicFoldersAreTheLibraryRoots) {
    Json r = shared_server().json("getMusicFolders", as_alice());
    Json expected = Json::parse(R"([{"id":1,"name":"Rock"},{"id":2,"name":"other"}])");
    EXPECT_EQ(r["musicFolders"]["musicFolder"], expected);
    XmlNode x = shared_server().xml("getMusicFolders", as_alice());
    auto folders = x.first(ns("musicFolders"))->all(ns("musicFolder"));
    ASSERT_EQ(folders.size(), 2u);
    EXPECT_EQ(folders[1]->attrs.at("id"), "2");
    EXPECT_EQ(folders[1]->attrs.at("name"), "other");
}

TEST(SubsonicProtocol, ErrorsHaveCodeAndMessageInBothFormats) {
    auto& s = shared_server();
    Json r = s.json("ping", {{"u", kUserName}, {"p", "nope"}});
    expect_envelope_json(r, "failed");
    EXPECT_EQ(r["error"]["code"], 40);
    EXPECT_TRUE(r["error"]["message"].is_string());
    XmlNode x = s.xml("ping", {{"u", kUserName}, {"p", "nope"}});
    expect_envelope_xml(x, "failed");
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "40");
    EXPECT_FALSE(x.first(ns("error"))->attrs.at("message").empty());
}

TEST(SubsonicProtocol, VersionAndClientAreRequired) {
    auto& s = shared_server();
    EXPECT_EQ(s.json("ping", as_alice() + Query{{"v", "2.0.0"}})["error"]["code"], 30);
    EXPECT_EQ(s.json("ping", as_alice() + Query{{"v", "0.9"}})["error"]["code"], 20);
    EXPECT_EQ(s.json("ping", as_alice() + Query{{"v", "x"}})["error"]["code"], 0);
    auto res = s.server().client()->Get("/rest/ping?f=json&u=alice&p=sesame&v=1.16.1");
    EXPECT_EQ(body_json(res)["subsonic-response"]["error"]["code"], 10);
    res = s.server().client()->Get("/rest/ping?f=json&u=alice&p=sesame&c=x");
    EXPECT_EQ(body_json(res)["subsonic-response"]["error"]["code"], 10);
}

// The access log keeps the method and the client, never p, t, s or apiKey.
TEST(SubsonicProtocol, AccessLogHidesSecrets) {
    SubsonicServer s("subsonic_log", true);
    std::string path = "/tmp/sonique-subsonic-log-" + unique_suffix();
    fflush(stderr);
    int saved = dup(2);
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    dup2(fileno(f), 2);
    s.get("ping", {{"u", kUserName}, {"p", "plainsecret"}, {"f", "json"}});
    s.get("ping", {{"u", kUserName}, {"t", "tokensecret"}, {"s", "saltsecret"}});
    s.get("ping", {{"apiKey", "keysecret"}});
    std::string text;
    for (int i = 0; i < 100; ++i) {
        fflush(stderr);
        std::ifstream in(path);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
        if (text.find("keysecret") != std::string::npos ||
            text.find("apiKey=***") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    std::fclose(f);
    std::remove(path.c_str());
    EXPECT_NE(text.find("GET /rest/ping?u=alice&p=***"), std::string::npos) << text;
    EXPECT_NE(text.find("apiKey=***"), std::string::npos) << text;
    for (const char* secret : {"plainsecret", "tokensecret", "saltsecret", "keysecret"})
        EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
}

}  // namespace
}  // namespace sonique::test
