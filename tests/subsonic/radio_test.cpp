// Internet radio stations: everyone lists them, administrators change them, only http(s)
// stream and home page URLs are stored.
#include <gtest/gtest.h>

#include "user_lists_support.hpp"

namespace sonique::test {
namespace {

// The stations alice lists (held in a variable: a range-for over a temporary's member would
// dangle).
Json stations(SubsonicServer& s) {
    return s.json("getInternetRadioStations",
                  as_alice())["internetRadioStations"]["internetRadioStation"];
}

Json station(SubsonicServer& s, const std::string& id) {
    Json all = stations(s);
    for (const auto& st : all)
        if (st["id"] == id) return st;
    return Json();
}

std::string id_of(SubsonicServer& s, const std::string& name) {
    Json all = stations(s);
    for (const auto& st : all)
        if (st["name"] == name) return st["id"].get<std::string>();
    return {};
}

TEST(SubsonicRadio, AdministratorsEditEveryoneListsInBothFormats) {
    auto& s = shared_server();
    fill_user_lists(s);
    Json r = s.json("getInternetRadioStations", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_TRUE(r["internetRadioStations"]["internetRadioStation"].is_array());
    r = s.json("createInternetRadioStation",
               as_admin() + Query{{"name", "Jazz FM"},
                                  {"streamUrl", "https://stream.example.org/jazz.mp3"},
                                  {"homepageUrl", "https://example.org/"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    std::string id = id_of(s, "Jazz FM");
    ASSERT_TRUE(id.starts_with("ra-")) << stations(s).dump();
    Json st = station(s, id);
    EXPECT_EQ(st["streamUrl"], "https://stream.example.org/jazz.mp3");
    EXPECT_EQ(st["homePageUrl"], "https://example.org/");
    XmlNode x = s.xml("getInternetRadioStations", as_alice());
    bool seen = false;
    for (const auto* n : x.first(ns("internetRadioStations"))->all(ns("internetRadioStation")))
        if (n->attrs.at("id") == id) {
            seen = true;
            EXPECT_EQ(n->attrs.at("name"), "Jazz FM");
            EXPECT_EQ(n->attrs.at("streamUrl"), "https://stream.example.org/jazz.mp3");
            EXPECT_EQ(n->attrs.at("homePageUrl"), "https://example.org/");
        }
    EXPECT_TRUE(seen);
    // Users may not change stations.
    EXPECT_EQ(error_code(s.json("createInternetRadioStation",
                                as_owner() + Query{{"name", "x"}, {"streamUrl", "http://x.org"}})),
              50);
    EXPECT_EQ(error_code(s.json(
                  "updateInternetRadioStation",
                  as_alice() + Query{{"id", id}, {"name", "x"}, {"streamUrl", "http://x.org"}})),
              50);
    EXPECT_EQ(error_code(s.json("deleteInternetRadioStation", as_alice() + Query{{"id", id}})), 50);
    // Update: every field given; no home page clears it.
    r = s.json("updateInternetRadioStation",
               as_admin() + Query{{"id", id}, {"name", "Jazz"}, {"streamUrl", "http://j.org/s"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    st = station(s, id);
    EXPECT_EQ(st["name"], "Jazz");
    EXPECT_EQ(st["streamUrl"], "http://j.org/s");
    EXPECT_FALSE(st.contains("homePageUrl"));
    EXPECT_EQ(s.json("deleteInternetRadioStation", as_admin() + Query{{"id", id}})["status"], "ok");
    EXPECT_TRUE(station(s, id).is_null());
    EXPECT_EQ(error_code(s.json("deleteInternetRadioStation", as_admin() + Query{{"id", id}})), 70);
    EXPECT_EQ(error_code(s.json(
                  "updateInternetRadioStation",
                  as_admin() + Query{{"id", id}, {"name", "x"}, {"streamUrl", "http://x.org"}})),
              70);
}

TEST(SubsonicRadio, OnlyHttpUrlsAreStored) {
    auto& s = shared_server();
    fill_user_lists(s);
    auto create = [&](const std::string& url, const std::string& home = "") {
        Query q = as_admin() + Query{{"name", "Bad " + url}, {"streamUrl", url}};
        if (!home.empty()) q.emplace_back("homepageUrl", home);
        return error_code(s.json("createInternetRadioStation", q));
    };
    for (const char* url : {"ftp://example.org/s", "file:///etc/passwd", "javascript:alert(1)",
                            "http://", "https:///path", "http:// example.org", "/srv/music/x",
                            "http://example.org/a b", "example.org/stream", ""})
        EXPECT_EQ(create(url), 0) << url;
    EXPECT_EQ(create("http://example.org/s", "javascript:alert(1)"), 0);
    EXPECT_EQ(create("http://example.org/s\x7f"), 0);
    EXPECT_EQ(create(std::string("http://example.org/") + std::string(2100, 'a')), 0);
    EXPECT_EQ(error_code(s.json("createInternetRadioStation",
                                as_admin() + Query{{"name", " "}, {"streamUrl", "http://a.org"}})),
              0);
    EXPECT_EQ(error_code(s.json("createInternetRadioStation",
                                as_admin() + Query{{"streamUrl", "http://a.org"}})),
              10);
    EXPECT_EQ(error_code(s.json("createInternetRadioStation", as_admin() + Query{{"name", "a"}})),
              10);
    // Nothing was stored; an uppercase scheme is still http.
    Json all = stations(s);
    for (const auto& st : all)
        EXPECT_FALSE(st["name"].get<std::string>().starts_with("Bad ")) << st.dump();
    EXPECT_EQ(create("HTTPS://example.org/ok"), -1);
    EXPECT_EQ(error_code(s.json("deleteInternetRadioStation", as_admin() + Query{{"id", "pl-1"}})),
              70);
}

}  // namespace
}  // namespace sonique::test
