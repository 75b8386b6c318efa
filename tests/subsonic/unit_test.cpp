// The subsonic layer's pure parts: ids, the XML and JSON writers, form parameters.
#include <gtest/gtest.h>

#include "call.hpp"
#include "ids.hpp"
#include "response.hpp"

namespace sonique::subsonic {
namespace {

TEST(SubsonicIds, KindsAreToldApart) {
    EXPECT_EQ(make_id(IdKind::kAlbum, 5), "al-5");
    EXPECT_EQ(parse_id("al-5", IdKind::kAlbum), 5);
    EXPECT_EQ(parse_id("ar-12", IdKind::kArtist), 12);
    EXPECT_EQ(parse_id("tr-9", IdKind::kTrack), 9);
    EXPECT_EQ(parse_id("al-5", IdKind::kArtist), std::nullopt);
    for (const char* bad : {"", "al-", "al-0", "al-05", "al--5", "al-5x", "al- 5", "5", "AL-5",
                            "al-99999999999999999999"})
        EXPECT_EQ(parse_id(bad, IdKind::kAlbum), std::nullopt) << bad;
}

TEST(SubsonicIds, PlaylistsAndRadioStationsHaveTheirOwnKinds) {
    EXPECT_EQ(make_id(IdKind::kPlaylist, 4), "pl-4");
    EXPECT_EQ(make_id(IdKind::kRadio, 2), "ra-2");
    EXPECT_EQ(parse_id("pl-4", IdKind::kPlaylist), 4);
    EXPECT_EQ(parse_id("ra-2", IdKind::kRadio), 2);
    EXPECT_EQ(parse_id("pl-4", IdKind::kRadio), std::nullopt);
    EXPECT_EQ(parse_id("tr-4", IdKind::kPlaylist), std::nullopt);
    EXPECT_EQ(parse_id("ra-2", IdKind::kTrack), std::nullopt);
}

Node sample() {
    Node body;
    Node& list = body.child("things");
    list.list("thing");
    list.item("thing").set("id", std::string("a&<\"'>")).set("n", int64_t{3}).set("ok", true);
    list.value_item("folder", int64_t{7});
    Node& text = list.item("genre");
    text.text = std::string("Rock & Roll");
    text.set("songCount", int64_t{2});
    body.child("empty").list("item");
    return body;
}

TEST(SubsonicWriter, JsonHasTypedFieldsAndArrays) {
    std::string j = write_json(sample(), {true, "1.2.3"});
    EXPECT_EQ(j, R"({"subsonic-response":{"status":"ok","version":"1.16.1","type":"sonique",)"
                 R"("serverVersion":"1.2.3","openSubsonic":true,"things":{"thing":[{"id":)"
                 R"("a&<\"'>","n":3,"ok":true}],"folder":[7],"genre":[{"songCount":2,)"
                 R"("value":"Rock & Roll"}]},"empty":{"item":[]}}})");
}

TEST(SubsonicWriter, XmlEscapesAndKeepsTheNamespace) {
    std::string x = write_xml(sample(), {false, "1.2.3"});
    EXPECT_NE(x.find(R"(<subsonic-response xmlns="http://subsonic.org/restapi" status="failed")"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find(R"(<thing id="a&amp;&lt;&quot;&apos;&gt;" n="3" ok="true"/>)"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find("<folder>7</folder>"), std::string::npos);
    EXPECT_NE(x.find(R"(<genre songCount="2">Rock &amp; Roll</genre>)"), std::string::npos);
    EXPECT_NE(x.find("<empty/>"), std::string::npos);
}

TEST(SubsonicWriter, ControlCharactersStayWellFormed) {
    Node body;
    body.child("x").set("v", std::string("a\x01"
                                         "b\n"));
    EXPECT_NE(write_json(body, {true, "1"}).find(R"("a\u0001b\u000a")"), std::string::npos);
    EXPECT_NE(write_xml(body, {true, "1"})
                  .find("a\xEF\xBF\xBD"
                        "b\n"),
              std::string::npos);
}

TEST(SubsonicParams, QueryAndFormAreMergedAndChecked) {
    auto p = parse_params("u=al%69ce&x", "p=a+b%26c&u=second", 100);
    ASSERT_FALSE(p.problem);
    ASSERT_EQ(p.params.size(), 4u);
    EXPECT_EQ(p.params[0], (std::pair<std::string, std::string>{"u", "alice"}));
    EXPECT_EQ(p.params[1], (std::pair<std::string, std::string>{"x", ""}));
    EXPECT_EQ(p.params[2], (std::pair<std::string, std::string>{"p", "a b&c"}));
    EXPECT_TRUE(parse_params("u=%FF", "", 100).problem);
    EXPECT_TRUE(parse_params("u=a%00", "", 100).problem);
    EXPECT_TRUE(parse_params("", std::string(101, 'a'), 100).problem);
}

}  // namespace
}  // namespace sonique::subsonic
