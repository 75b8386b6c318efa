// The write methods of playlists, the play queue, bookmarks and radio stations in XML: an ok
// envelope with nothing else (createPlaylist: the playlist), and their errors as XML elements.
#include <gtest/gtest.h>

#include "user_lists_support.hpp"

namespace sonique::test {
namespace {

// The root element's status attribute.
std::string status(const XmlNode& x) {
    return x.attrs.count("status") ? x.attrs.at("status") : "";
}

void expect_empty_ok(const XmlNode& x, const std::string& what) {
    EXPECT_EQ(x.name, ns("subsonic-response")) << what;
    EXPECT_EQ(status(x), "ok") << what;
    EXPECT_TRUE(x.children.empty()) << what << ": " << x.children.front().name;
}

std::string error_of(const XmlNode& x) {
    const XmlNode* e = x.first(ns("error"));
    return e ? e->attrs.at("code") : "";
}

TEST(SubsonicUserListsXml, WriteMethodsAnswerInXml) {
    auto& s = shared_server();
    fill_user_lists(s);
    XmlNode c =
        s.xml("createPlaylist", as_owner() + Query{{"name", "In XML"}, {"songId", song(8)}});
    ASSERT_EQ(status(c), "ok");
    const XmlNode* p = c.first(ns("playlist"));
    ASSERT_NE(p, nullptr);
    std::string id = p->attrs.at("id");
    EXPECT_EQ(p->attrs.at("name"), "In XML");
    EXPECT_EQ(p->attrs.at("owner"), kOwnerName);
    EXPECT_EQ(p->attrs.at("songCount"), "1");
    ASSERT_EQ(p->all(ns("entry")).size(), 1u);
    EXPECT_EQ(p->first(ns("entry"))->attrs.at("id"), song(8));

    expect_empty_ok(
        s.xml("updatePlaylist", as_owner() + Query{{"playlistId", id}, {"songIdToAdd", song(9)}}),
        "updatePlaylist");
    EXPECT_EQ(error_of(s.xml("updatePlaylist",
                             as_owner() + Query{{"playlistId", id}, {"songIndexToRemove", "-2"}})),
              "0");
    EXPECT_EQ(error_of(s.xml("getPlaylist", as_other() + Query{{"id", id}})), "70");
    expect_empty_ok(s.xml("deletePlaylist", as_owner() + Query{{"id", id}}), "deletePlaylist");

    expect_empty_ok(
        s.xml("savePlayQueue",
              as_owner() + Query{{"id", song(8)}, {"current", song(8)}, {"position", "12"}}),
        "savePlayQueue");
    expect_empty_ok(
        s.xml("savePlayQueueByIndex", as_owner() + Query{{"id", song(8)}, {"currentIndex", "0"}}),
        "savePlayQueueByIndex");
    EXPECT_EQ(error_of(s.xml("savePlayQueueByIndex",
                             as_owner() + Query{{"id", song(8)}, {"currentIndex", "5"}})),
              "10");

    expect_empty_ok(s.xml("createBookmark", as_owner() + Query{{"id", song(8)}, {"position", "3"}}),
                    "createBookmark");
    expect_empty_ok(s.xml("deleteBookmark", as_owner() + Query{{"id", song(8)}}), "deleteBookmark");
    EXPECT_EQ(error_of(s.xml("deleteBookmark", as_owner() + Query{{"id", song(8)}})), "70");

    expect_empty_ok(s.xml("createInternetRadioStation",
                          as_admin() + Query{{"name", "XML FM"}, {"streamUrl", "http://x.org/s"}}),
                    "createInternetRadioStation");
    std::string station;
    XmlNode list = s.xml("getInternetRadioStations", as_alice());
    for (const auto* n : list.first(ns("internetRadioStations"))->all(ns("internetRadioStation")))
        if (n->attrs.at("name") == "XML FM") station = n->attrs.at("id");
    ASSERT_FALSE(station.empty());
    expect_empty_ok(
        s.xml("updateInternetRadioStation",
              as_admin() +
                  Query{{"id", station}, {"name", "XML FM 2"}, {"streamUrl", "https://x.org/s"}}),
        "updateInternetRadioStation");
    EXPECT_EQ(
        error_of(s.xml(
            "updateInternetRadioStation",
            as_admin() + Query{{"id", station}, {"name", "x"}, {"streamUrl", "ftp://x.org/s"}})),
        "0");
    expect_empty_ok(s.xml("deleteInternetRadioStation", as_admin() + Query{{"id", station}}),
                    "deleteInternetRadioStation");
}

}  // namespace
}  // namespace sonique::test
