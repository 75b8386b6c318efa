// Hostile and odd input: every answer is a Subsonic document, never an HTML page or a crash.
#include <gtest/gtest.h>

#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

Json get_json(const std::string& target) {
    auto res = shared_server().server().client()->Get(target);
    EXPECT_TRUE(res);
    if (!res) return Json::object();
    EXPECT_EQ(res->status, 200);
    return body_json(res)["subsonic-response"];
}

TEST(SubsonicHostile, UnknownAndUnservedMethodsAnswerTheSpecsError) {
    Json r = get_json("/rest/noSuchMethod.view?f=json");
    EXPECT_EQ(r["status"], "failed");
    EXPECT_EQ(r["error"]["code"], 0);
    r = get_json("/rest/getVideos?f=json&u=alice&p=sesame&v=1.16.1&c=t");
    EXPECT_EQ(r["error"]["code"], 0);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("getVideos"), std::string::npos);
    auto res = shared_server().server().client()->Get("/rest/jukeboxControl");
    ASSERT_TRUE(res);
    XmlNode x = parse_xml(res->body);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "0");
}

TEST(SubsonicHostile, BadFormatAnswersInXml) {
    auto res = shared_server().server().client()->Get("/rest/ping?f=yaml&u=alice&p=sesame&v=1&c=t");
    ASSERT_TRUE(res);
    XmlNode x = parse_xml(res->body);
    EXPECT_EQ(x.attrs.at("status"), "failed");
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "0");
}

TEST(SubsonicHostile, JsonpNeedsAnIdentifierAsCallback) {
    Json r = get_json("/rest/ping?f=jsonp&u=alice&p=sesame&v=1.16.1&c=t");
    EXPECT_EQ(r["error"]["code"], 10);
    r = get_json("/rest/ping?f=jsonp&callback=alert(1)//&u=alice&p=sesame&v=1.16.1&c=t");
    EXPECT_EQ(r["error"]["code"], 0);
}

TEST(SubsonicHostile, NonUtf8ParametersAreRefused) {
    Json r = get_json("/rest/ping?f=json&u=al%FFice&p=sesame&v=1.16.1&c=t");
    EXPECT_EQ(r["error"]["code"], 0);
    r = get_json("/rest/ping?f=json&u=alice%00&p=sesame&v=1.16.1&c=t");
    EXPECT_EQ(r["error"]["code"], 0);
}

// Past 1 MiB a form body is refused with a Subsonic error; below it, it is read whatever its
// size (httplib alone would refuse form bodies past 8 KiB: server/ reads /rest/ bodies whole).
TEST(SubsonicHostile, HugeFormBodyIsRefused) {
    std::string body = "u=alice&p=sesame&v=1.16.1&c=t&junk=" + std::string(2 << 20, 'a');
    auto res = shared_server().server().client()->Post("/rest/ping?f=json", body,
                                                       "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Json r = body_json(res)["subsonic-response"];
    EXPECT_EQ(r["error"]["code"], 0);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("too large"), std::string::npos);
    body = "u=alice&p=sesame&v=1.16.1&c=t&f=json&junk=" + std::string(100000, 'a');
    res = shared_server().server().client()->Post("/rest/ping", body,
                                                  "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(body_json(res)["subsonic-response"]["status"], "ok") << res->body.substr(0, 200);
}

// Past the server's body limit (16 MiB), the HTTP core answers 413 before any parsing.
TEST(SubsonicHostile, BodiesPastTheServerLimitAre413) {
    std::string body(17 << 20, 'a');
    auto res = shared_server().server().client()->Post("/rest/ping", body,
                                                       "application/x-www-form-urlencoded");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(res->body.find("<html"), std::string::npos);
}

TEST(SubsonicHostile, MarkupInValuesIsEscapedInXml) {
    auto& s = shared_server();
    s.users().create("<b>&\"quoted\"", "pw", "a&b<c>@example.org", {});
    XmlNode x = s.xml("getUser", as_admin() + Query{{"username", "<b>&\"quoted\""}});
    const XmlNode* u = x.first(ns("user"));
    ASSERT_NE(u, nullptr);
    EXPECT_EQ(u->attrs.at("username"), "<b>&\"quoted\"");
    EXPECT_EQ(u->attrs.at("email"), "a&b<c>@example.org");
    Json j = s.json("getUser", as_admin() + Query{{"username", "<b>&\"quoted\""}});
    EXPECT_EQ(j["user"]["username"], "<b>&\"quoted\"");
}

TEST(SubsonicHostile, OtherHttpMethodsGetNoHtml) {
    auto res = shared_server().server().client()->Put("/rest/ping", "", "text/plain");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 405);
    EXPECT_EQ(res->body.find("<html"), std::string::npos);
}

}  // namespace
}  // namespace sonique::test
