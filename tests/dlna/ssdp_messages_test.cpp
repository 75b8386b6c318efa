// SSDP datagrams: what Sonique announces and answers, and which M-SEARCH requests it accepts.
#include <gtest/gtest.h>

#include "ssdp_messages.hpp"

namespace sonique::dlna::ssdp {
namespace {

const std::string kUuid = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

std::string search(const std::string& st, const std::string& mx = "2",
                   const std::string& man = "\"ssdp:discover\"") {
    std::string d = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: " + man + "\r\n";
    if (!mx.empty()) d += "MX: " + mx + "\r\n";
    return d + "ST: " + st + "\r\n\r\n";
}

TEST(SsdpMessages, TheFiveNotificationTypesAndTheirUsns) {
    auto nts = notification_types(kUuid);
    ASSERT_EQ(nts.size(), 5u);
    EXPECT_EQ(nts[0], "upnp:rootdevice");
    EXPECT_EQ(nts[1], "uuid:" + kUuid);
    EXPECT_EQ(usn(kUuid, nts[0]), "uuid:" + kUuid + "::upnp:rootdevice");
    EXPECT_EQ(usn(kUuid, nts[1]), "uuid:" + kUuid);
    EXPECT_EQ(usn(kUuid, kContentDirectory), "uuid:" + kUuid + "::" + kContentDirectory);
}

TEST(SsdpMessages, AliveByebyeAndSearchResponseCarryTheirHeaders) {
    Advert a{kUuid, "http://10.1.2.3:8001/dlna/description.xml", "Linux/6 UPnP/1.0 Sonique/0", 900};
    std::string alive_text = alive(a, kMediaServer);
    EXPECT_EQ(alive_text.rfind("NOTIFY * HTTP/1.1\r\n", 0), 0u);
    EXPECT_NE(alive_text.find("CACHE-CONTROL: max-age=900\r\n"), std::string::npos);
    EXPECT_NE(alive_text.find("LOCATION: http://10.1.2.3:8001/dlna/description.xml\r\n"),
              std::string::npos);
    EXPECT_NE(alive_text.find("NTS: ssdp:alive\r\n"), std::string::npos);
    EXPECT_NE(alive_text.find("USN: uuid:" + kUuid + "::" + kMediaServer + "\r\n"),
              std::string::npos);
    EXPECT_EQ(alive_text.substr(alive_text.size() - 4), "\r\n\r\n");
    std::string bye = byebye(kUuid, "upnp:rootdevice");
    EXPECT_NE(bye.find("NTS: ssdp:byebye\r\n"), std::string::npos);
    EXPECT_EQ(bye.find("LOCATION"), std::string::npos);
    std::string r = search_response(a, "upnp:rootdevice", "Sun, 06 Dec 2026 02:20:00 GMT");
    EXPECT_EQ(r.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
    EXPECT_NE(r.find("\r\nEXT:\r\n"), std::string::npos);
    EXPECT_NE(r.find("ST: upnp:rootdevice\r\n"), std::string::npos);
    EXPECT_NE(r.find("DATE: Sun, 06 Dec 2026 02:20:00 GMT\r\n"), std::string::npos);
}

TEST(SsdpMessages, ParsesAnMSearchAndCapsMx) {
    auto s = parse_search(search("ssdp:all", "3"), true);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->st, "ssdp:all");
    EXPECT_EQ(s->mx, 3);
    EXPECT_EQ(parse_search(search("ssdp:all", "120"), true)->mx, kMaxMx);
    EXPECT_EQ(parse_search(search("ssdp:all", "0"), true)->mx, 1);
    // Header names in any case, bare LF line ends.
    auto lf = parse_search(
        "M-SEARCH * HTTP/1.1\nman: \"ssdp:discover\"\nst: upnp:rootdevice\nmx: 1\n\n", true);
    ASSERT_TRUE(lf);
    EXPECT_EQ(lf->st, "upnp:rootdevice");
    // Unicast may omit MX: answered at once.
    auto uni = parse_search(search("ssdp:all", ""), false);
    ASSERT_TRUE(uni);
    EXPECT_EQ(uni->mx, 0);
}

TEST(SsdpMessages, RefusesMalformedSearches) {
    EXPECT_FALSE(parse_search(search("ssdp:all", ""), true));      // multicast needs MX
    EXPECT_FALSE(parse_search(search("ssdp:all", "soon"), true));  // MX not a number
    EXPECT_FALSE(parse_search(search("ssdp:all", "-1"), true));    // negative MX
    EXPECT_FALSE(parse_search(search("ssdp:all", "1", "ssdp:discover"), true));  // unquoted MAN
    EXPECT_FALSE(parse_search(search("", "1"), true));                           // empty ST
    EXPECT_FALSE(parse_search("M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\n\r\n",
                              true));  // no ST
    EXPECT_FALSE(parse_search("NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\n\r\n", true));
    EXPECT_FALSE(parse_search("M-SEARCH * HTTP/1.1\r\nno colon here\r\n\r\n", true));
    EXPECT_FALSE(parse_search("M-SEARCH * HTTP/1.1", true));
    EXPECT_FALSE(parse_search("", true));
    std::string many = "M-SEARCH * HTTP/1.1\r\n";
    for (int i = 0; i < 65; ++i)
        many += "X-" + std::to_string(i) + ": y\r\n";
    EXPECT_FALSE(
        parse_search(many + "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n", true));
    std::string huge = search("ssdp:all") + std::string(kMaxDatagram, 'x');
    EXPECT_FALSE(parse_search(huge, true));
    EXPECT_FALSE(parse_search(search(std::string(300, 'a')), true));
}

TEST(SsdpMessages, AnswersForEachTypeAndForAll) {
    EXPECT_EQ(answers_for(kUuid, "ssdp:all").size(), 5u);
    for (const auto& nt : notification_types(kUuid))
        EXPECT_EQ(answers_for(kUuid, nt), std::vector<std::string>{nt}) << nt;
    EXPECT_TRUE(answers_for(kUuid, "urn:schemas-upnp-org:device:MediaRenderer:1").empty());
    EXPECT_TRUE(answers_for(kUuid, "uuid:00000000-0000-0000-0000-000000000000").empty());
}

}  // namespace
}  // namespace sonique::dlna::ssdp
