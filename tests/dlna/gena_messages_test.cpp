// GENA on the wire: SUBSCRIBE/UNSUBSCRIBE heads, CALLBACK and TIMEOUT headers, NOTIFY bodies.
#include <gtest/gtest.h>

#include "gena_messages.hpp"

namespace sonique::dlna::gena {
namespace {

TEST(GenaMessages, ParsesASubscribe) {
    auto r = parse_request(
        "SUBSCRIBE /dlna/event/ContentDirectory HTTP/1.1\r\nHOST: 10.0.0.1:8002\r\n"
        "CALLBACK: <http://10.0.0.2:4000/cb>\r\nNT: upnp:event\r\nTIMEOUT: Second-300");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, "SUBSCRIBE");
    EXPECT_EQ(r->path, "/dlna/event/ContentDirectory");
    EXPECT_EQ(r->callback, "<http://10.0.0.2:4000/cb>");
    EXPECT_EQ(r->nt, "upnp:event");
    EXPECT_EQ(r->timeout, "Second-300");
    EXPECT_FALSE(r->sid);
}

TEST(GenaMessages, RefusesMalformedHeads) {
    EXPECT_FALSE(parse_request("SUBSCRIBE"));
    EXPECT_FALSE(parse_request("SUBSCRIBE nopath HTTP/1.1"));
    EXPECT_FALSE(parse_request("SUBSCRIBE /x FTP/1.0"));
    EXPECT_FALSE(parse_request("SUBSCRIBE /x HTTP/1.1\r\nbroken header"));
    EXPECT_FALSE(parse_request("SUBSCRIBE /x HTTP/1.1\r\nSID: a\r\nSID: b"));
    EXPECT_FALSE(parse_request("SUBSCRIBE /x HTTP/1.1\r\nContent-Length: -4"));
    EXPECT_FALSE(parse_request("SUBSCRIBE /x HTTP/1.1\r\n" + std::string(kMaxHead, 'a')));
}

TEST(GenaMessages, CallbackUrls) {
    auto urls = parse_callback("<http://192.168.1.9:49152/notify/1> <http://10.0.0.3/>");
    ASSERT_EQ(urls.size(), 2u);
    EXPECT_EQ(urls[0].host_text, "192.168.1.9");
    EXPECT_EQ(urls[0].port, 49152);
    EXPECT_EQ(urls[0].path, "/notify/1");
    EXPECT_EQ(urls[1].port, 80);
    EXPECT_TRUE(parse_callback("http://10.0.0.1/").empty());         // no brackets
    EXPECT_TRUE(parse_callback("<https://10.0.0.1/>").empty());      // not http
    EXPECT_TRUE(parse_callback("<http://printer.local/>").empty());  // not an IPv4 literal
    EXPECT_TRUE(parse_callback("<http://10.0.0.1:0/>").empty());     // bad port
    EXPECT_TRUE(parse_callback("<http://10.0.0.1/a b>").empty());    // space in the path
    EXPECT_TRUE(parse_callback("<http://10.0.0.1/").empty());        // unclosed
    EXPECT_TRUE(parse_callback("").empty());
    std::string five;
    for (int i = 0; i < 5; ++i)
        five += "<http://10.0.0.1/" + std::to_string(i) + ">";
    EXPECT_TRUE(parse_callback(five).empty());
}

TEST(GenaMessages, GrantedTimeout) {
    EXPECT_EQ(granted_timeout(std::string("Second-300"), 1800), 300);
    EXPECT_EQ(granted_timeout(std::string("second-99999"), 1800), 1800);
    EXPECT_EQ(granted_timeout(std::string("Second-0"), 1800), 1);
    EXPECT_EQ(granted_timeout(std::string("infinite"), 1800), 1800);
    EXPECT_EQ(granted_timeout(std::string("Second-x"), 1800), 1800);
    EXPECT_EQ(granted_timeout(std::nullopt, 600), 600);
}

TEST(GenaMessages, PropertysetEscapesValuesAndNotifyHasItsHeaders) {
    std::string body = propertyset({{"SystemUpdateID", "7"}, {"SourceProtocolInfo", "a<b&c"}});
    EXPECT_NE(body.find("<e:property><SystemUpdateID>7</SystemUpdateID></e:property>"),
              std::string::npos);
    EXPECT_NE(body.find("a&lt;b&amp;c"), std::string::npos);
    Url u{0x0a000002, 4000, "10.0.0.2", "/cb"};
    std::string n = notify_request(u, "uuid:s", 3, body);
    EXPECT_EQ(n.rfind("NOTIFY /cb HTTP/1.1\r\nHOST: 10.0.0.2:4000\r\n", 0), 0u);
    EXPECT_NE(n.find("NTS: upnp:propchange\r\n"), std::string::npos);
    EXPECT_NE(n.find("SID: uuid:s\r\nSEQ: 3\r\n"), std::string::npos);
    EXPECT_NE(n.find("CONTENT-LENGTH: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
    EXPECT_EQ(n.substr(n.size() - body.size()), body);
}

}  // namespace
}  // namespace sonique::dlna::gena
