// The DLNA layer's pure parts: the bounded XML reader, SOAP envelopes, search criteria, object
// ids, escaping, durations, profiles and the client filter.
#include <gtest/gtest.h>

#include "client_filter.hpp"
#include "control.hpp"
#include "didl.hpp"
#include "object_ids.hpp"
#include "profiles.hpp"
#include "search_criteria.hpp"
#include "soap.hpp"
#include "xml_reader.hpp"
#include "xml_text.hpp"

namespace sonique::dlna {
namespace {

int fault_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const SoapFault& e) {
        return e.code();
    }
    return 0;
}

TEST(DlnaXml, ReadsNamespacesTextAndAttributes) {
    auto p =
        parse_xml("<a xmlns=\"urn:x\" xmlns:b=\"urn:y\"><b:c k=\"v &amp; w\">1 &lt; 2</b:c></a>");
    ASSERT_TRUE(p.root) << p.error;
    EXPECT_EQ(p.root->ns, "urn:x");
    ASSERT_EQ(p.root->children.size(), 1u);
    EXPECT_EQ(p.root->children[0]->ns, "urn:y");
    EXPECT_EQ(p.root->children[0]->text, "1 < 2");
    EXPECT_EQ(p.root->children[0]->attr("k"), "v & w");
}

TEST(DlnaXml, RefusesDoctypesEntitiesDepthAndSize) {
    EXPECT_FALSE(parse_xml("<!DOCTYPE a><a/>").root);
    EXPECT_FALSE(parse_xml("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>").root);
    EXPECT_FALSE(parse_xml("<!DOCTYPE a SYSTEM \"http://example.com/a.dtd\"><a/>").root);
    EXPECT_FALSE(parse_xml("<a>&undeclared;</a>").root);
    std::string deep;
    for (int i = 0; i < kMaxDepth + 1; ++i)
        deep += "<a>";
    EXPECT_FALSE(parse_xml(deep).root);
    std::string many = "<a>";
    for (size_t i = 0; i < kMaxElements + 1; ++i)
        many += "<b/>";
    many += "</a>";
    EXPECT_FALSE(parse_xml(many).root);
    EXPECT_FALSE(parse_xml("").root);
    EXPECT_FALSE(parse_xml("<a>").root);
    EXPECT_TRUE(parse_xml("<a>&amp;&#233;</a>").root);
}

const std::string kCd = "urn:schemas-upnp-org:service:ContentDirectory:1";

TEST(DlnaSoap, ParsesAnActionAndWritesAnswersAndFaults) {
    auto call = parse_soap(
        "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        "<s:Body><u:Browse xmlns:u=\"" +
            kCd + "\"><ObjectID>m/al</ObjectID><Filter>*</Filter></u:Browse></s:Body></s:Envelope>",
        kCd);
    EXPECT_EQ(call.action, "Browse");
    EXPECT_EQ(call.arg("ObjectID"), "m/al");
    EXPECT_EQ(fault_of([&] { call.arg("Nope"); }), kInvalidArgs);
    std::string answer = soap_response(kCd, "Browse", {{"Result", "<DIDL-Lite a=\"&\"/>"}});
    auto parsed = parse_xml(answer);
    ASSERT_TRUE(parsed.root);
    EXPECT_EQ(parsed.root->child("Body")->children[0]->child("Result")->text,
              "<DIDL-Lite a=\"&\"/>");
    auto fault = parse_xml(soap_fault(701, "No <such> object"));
    ASSERT_TRUE(fault.root);
    EXPECT_NE(soap_fault(701, "x").find("<errorCode>701</errorCode>"), std::string::npos);
    EXPECT_EQ(fault_of([] { parse_soap(std::string(kMaxSoapBody + 1, ' '), kCd); }),
              kCannotProcess);
    EXPECT_EQ(fault_of([] { parse_soap("<x/>", kCd); }), kInvalidAction);
}

TEST(DlnaSearch, WritesParametrisedSql) {
    auto q = parse_search(
        "dc:title contains \"a%b\" and (upnp:artist = \"X\" or upnp:genre "
        "doesNotContain \"y\")",
        3);
    EXPECT_EQ(q.target, SearchTarget::kTracks);
    ASSERT_EQ(q.params.size(), 3u);
    EXPECT_EQ(q.params[0], "a\\%b");
    EXPECT_EQ(q.params[1], "X");
    EXPECT_NE(q.where.find("$3"), std::string::npos);
    EXPECT_NE(q.where.find("$5"), std::string::npos);
    EXPECT_EQ(q.where.find("X"), std::string::npos);  // values never in the SQL
    q = parse_search("upnp:class derivedfrom \"object.item.audioItem\"", 3);
    EXPECT_EQ(q.where, "true");
    q = parse_search("upnp:class = \"object.container.album.musicAlbum\"", 3);
    EXPECT_EQ(q.target, SearchTarget::kAlbums);
    q = parse_search("upnp:class derivedfrom \"object.container.person\" and dc:title = \"a\"", 1);
    EXPECT_EQ(q.target, SearchTarget::kArtists);
    EXPECT_EQ(parse_search("*", 3).where, "true");
    for (const char* bad : {"", "*  and *", "dc:title", "dc:title =", "dc:title = x", "x = \"a\"",
                            "(dc:title = \"a\"", "dc:title = \"a\")", "dc:title ~ \"a\"",
                            "upnp:class exists maybe", "\"a\""}) {
        EXPECT_EQ(fault_of([&] { parse_search(bad, 1); }), kBadSearchCriteria) << bad;
    }
    std::string long_or = "dc:title = \"a\"";
    for (int i = 0; i < 70; ++i)
        long_or += " or dc:title = \"a\"";
    EXPECT_EQ(fault_of([&] { parse_search(long_or, 1); }), kBadSearchCriteria);
    std::string nested(40, '(');
    EXPECT_EQ(fault_of([&] { parse_search(nested + "dc:title = \"a\"", 1); }), kBadSearchCriteria);
}

TEST(DlnaIds, ParseAndParents) {
    auto r = parse_object_id("m/ge/3/4/5/t6");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->node, Node::kGenreArtistAlbum);
    EXPECT_EQ(r->genre, 3);
    EXPECT_EQ(r->artist, 4);
    EXPECT_EQ(r->album, 5);
    EXPECT_EQ(r->track, 6);
    EXPECT_EQ(parent_of(*r), "m/ge/3/4/5");
    EXPECT_EQ(parent_of(*parse_object_id("m/ge/3/4/5")), "m/ge/3/4");
    EXPECT_EQ(parent_of(*parse_object_id("m/ge")), "m");
    EXPECT_EQ(parent_of(*parse_object_id("m")), "0");
    EXPECT_EQ(parent_of(*parse_object_id("0")), "-1");
    EXPECT_EQ(parent_of(*parse_object_id("m/fo/fo-1-")), "m/fo");
    EXPECT_EQ(parent_of(*parse_object_id("m/fo/fo-2-QS9C")), "m/fo/fo-2-QQ");  // "A/B" -> "A"
    for (const char* bad :
         {"", "1", "m/", "m//1", "m/ar/x", "m/ar/1/2/3", "m/al/1/2", "m/ge/1/2/3/4", "m/all/7",
          "m/ar/t1", "m/ar/1/t1", "m/all/t", "m/all/t0", "m/all/t-1", "m/fo/xyz",
          "m/ar/99999999999999999999", "0/t1"})
        EXPECT_FALSE(parse_object_id(bad)) << bad;
    EXPECT_TRUE(parse_object_id("m/ar/1/2/t3"));
    EXPECT_TRUE(parse_object_id("m/fo/fo-1-/t3"));
}

TEST(DlnaText, ContentEscapingLeavesQuotes) {
    auto content = [](std::string_view t) {
        std::string out;
        append_content_escaped(out, t);
        return out;
    };
    // Element content: quotes as they are, the rest as append_escaped does.
    EXPECT_EQ(content("<item id=\"a&b\" x='1'>"), "&lt;item id=\"a&amp;b\" x='1'&gt;");
    EXPECT_EQ(content(std::string("\"\x01'bad\xff", 7)), "\"'bad\xef\xbf\xbd");
    EXPECT_EQ(content("caf\xc3\xa9 \"q\""), "caf\xc3\xa9 \"q\"");
}

TEST(DlnaText, EscapesAndDropsWhatXmlCannotCarry) {
    EXPECT_EQ(escaped("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&apos;");
    EXPECT_EQ(escaped(std::string("a\x01\x1f\tb", 5)), "a\tb");
    EXPECT_EQ(escaped("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(escaped("bad\xff"), "bad\xef\xbf\xbd");
    EXPECT_EQ(escaped("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong '/'
    // Plain runs are copied whole: at the start, between escapes, at the end, before UTF-8.
    EXPECT_EQ(escaped("&plain run<"), "&amp;plain run&lt;");
    EXPECT_EQ(escaped("run\x7f\xc3\xa9\x01tail"), "run\x7f\xc3\xa9tail");
    EXPECT_EQ(escaped(""), "");
    EXPECT_TRUE(parse_xml("<a>" + escaped("\x01<&\xff\xed\xa0\x80") + "</a>").root);
}

TEST(DlnaDidl, DurationsAndFilter) {
    EXPECT_EQ(didl_duration(0), "0:00:00.000");
    EXPECT_EQ(didl_duration(3725), "1:02:05.000");
    EXPECT_EQ(didl_duration(-5), "0:00:00.000");
    PropertyFilter star("*");
    EXPECT_TRUE(star.wants("upnp:artist"));
    PropertyFilter some("dc:title, res@size");
    EXPECT_TRUE(some.wants("res"));
    EXPECT_TRUE(some.wants("res@size"));
    EXPECT_FALSE(some.wants("res@duration"));
    EXPECT_FALSE(some.wants("upnp:artist"));
}

TEST(DlnaSort, ReadsSignedProperties) {
    auto s = parse_sort("+dc:title, -dc:date");
    ASSERT_EQ(s.size(), 2u);
    EXPECT_FALSE(s[0].descending);
    EXPECT_TRUE(s[1].descending);
    EXPECT_TRUE(parse_sort("").empty());
    EXPECT_EQ(fault_of([] { parse_sort("dc:title"); }), kBadSortCriteria);
    EXPECT_EQ(fault_of([] { parse_sort("+upnp:foo"); }), kBadSortCriteria);
    EXPECT_EQ(fault_of([] { parse_sort("+"); }), kBadSortCriteria);
}

TEST(DlnaProfiles, NamesTheCommonFormats) {
    EXPECT_EQ(media_profile("audio/mpeg", "a.mp3", 320).pn, "MP3");
    EXPECT_EQ(media_profile("audio/mp4", "a.m4a", 256).pn, "AAC_ISO_320");
    EXPECT_EQ(media_profile("audio/aac", "a.aac", 128).pn, "AAC_ADTS_320");
    EXPECT_TRUE(media_profile("audio/flac", "a.flac", 900).renderers_play);
    EXPECT_FALSE(media_profile("audio/ogg", "a.opus", 96).renderers_play);
    EXPECT_TRUE(media_profile("audio/ogg", "a.ogg", 96).renderers_play);
    EXPECT_FALSE(media_profile("audio/x-ape", "a.ape", 900).renderers_play);
    EXPECT_FALSE(media_profile("audio/x-dsf", "a.dsf", 5000).renderers_play);
    EXPECT_EQ(protocol_info("audio/mpeg", "MP3", true, false),
              "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01;DLNA.ORG_CI=0;DLNA.ORG_FLAGS="
              "01700000000000000000000000000000");
}

TEST(DlnaClients, OnlyLocalNetworks) {
    for (const char* ok :
         {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.20", "169.254.1.1",
          "100.64.0.1", "::1", "fd00::1", "fe80::1%eth0", "::ffff:192.168.1.2"})
        EXPECT_TRUE(is_local_client(ok)) << ok;
    for (const char* no : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "100.128.0.1", "2001:db8::1",
                           "::ffff:8.8.8.8", "", "localhost", "::", "1.2.3"})
        EXPECT_FALSE(is_local_client(no)) << no;
}

}  // namespace
}  // namespace sonique::dlna
