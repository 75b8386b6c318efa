// Search, and every bad request answered with a UPnP fault (HTTP 500), quickly: malformed
// envelopes, unknown ids, bad arguments, huge counts, hostile XML and oversize bodies.
#include <gtest/gtest.h>

#include <chrono>

#include "dlna_fixture.hpp"

namespace sonique::test {
namespace {

class DlnaControl : public DlnaSuite<> {
  protected:
    static SoapAnswer browse(const std::string& id,
                             const std::string& flag = "BrowseDirectChildren",
                             const std::string& start = "0", const std::string& count = "10",
                             const std::string& sort = "") {
        return world_->call("ContentDirectory", "Browse",
                            {{"ObjectID", id},
                             {"BrowseFlag", flag},
                             {"Filter", "*"},
                             {"StartingIndex", start},
                             {"RequestedCount", count},
                             {"SortCriteria", sort}});
    }
};

std::vector<std::string> titles(const std::vector<DidlObject>& v) {
    std::vector<std::string> out;
    for (const auto& o : v)
        out.push_back(o.title);
    std::sort(out.begin(), out.end());
    return out;
}

const std::string kEnvelope =
    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>";
const std::string kBrowseOpen =
    "<u:Browse xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\">";

TEST_F(DlnaControl, SearchByArtistTitleAlbumGenreAndClass) {
    EXPECT_EQ(titles(world_->search("upnp:artist contains \"ben\"")),
              std::vector<std::string>{"Moon"});
    EXPECT_EQ(titles(world_->search(
                  "upnp:class derivedfrom \"object.item.audioItem\" and dc:title contains \"oo\"")),
              (std::vector<std::string>{"Moon", "Noon"}));
    EXPECT_EQ(titles(world_->search("dc:title = \"dawn\" or upnp:genre = \"Jazz\"")),
              (std::vector<std::string>{"Dawn", "Moon"}));
    EXPECT_EQ(titles(world_->search("dc:title contains \"\\\"Low\\\"\"")),
              std::vector<std::string>{"Tide \"Low\" & <High>"});
    // LIKE's wildcards are plain characters.
    EXPECT_TRUE(world_->search("dc:title contains \"%\"").empty());
    int total = 0;
    auto all = world_->search("*", &total);
    EXPECT_EQ(total, 4);
    auto albums = world_->search(
        "upnp:class derivedfrom \"object.container.album.musicAlbum\" and dc:title contains "
        "\"night\"");
    ASSERT_EQ(albums.size(), 1u);
    EXPECT_EQ(albums[0].title, "Night Shift");
    EXPECT_EQ(albums[0].cls, "object.container.album.musicAlbum");
    EXPECT_EQ(albums[0].id.rfind("m/al/", 0), 0u);
    auto artists = world_->search("upnp:class = \"object.container.person.musicArtist\"");
    EXPECT_EQ(titles(artists), (std::vector<std::string>{"Ada Drums", "Ben Keys", "Cleo & Co"}));
    // Search results browse back as themselves.
    auto moon = world_->search("upnp:artist contains \"ben\"");
    ASSERT_EQ(moon.size(), 1u);
    auto meta = world_->browse(moon[0].id, "BrowseMetadata");
    ASSERT_EQ(meta.size(), 1u);
    EXPECT_EQ(meta[0].title, "Moon");
}

TEST_F(DlnaControl, BadSearchCriteriaAre708) {
    for (const char* c :
         {"dc:title contains", "dc:title contains \"x", "(dc:title = \"x\"", "dc:nothing = \"x\"",
          "dc:title like \"x\"", "and", "", "dc:title = \"a\" and and"}) {
        auto a = world_->call("ContentDirectory", "Search",
                              {{"ContainerID", "0"},
                               {"SearchCriteria", c},
                               {"Filter", "*"},
                               {"StartingIndex", "0"},
                               {"RequestedCount", "0"},
                               {"SortCriteria", ""}});
        EXPECT_EQ(a.status, 500) << c;
        EXPECT_EQ(a.fault_code(), 708) << c << ": " << a.body;
    }
    auto a = world_->call("ContentDirectory", "Search",
                          {{"ContainerID", "m/nothing"},
                           {"SearchCriteria", "*"},
                           {"Filter", "*"},
                           {"StartingIndex", "0"},
                           {"RequestedCount", "0"},
                           {"SortCriteria", ""}});
    EXPECT_EQ(a.fault_code(), 710);
}

TEST_F(DlnaControl, UnknownObjectsAre701AndItemsAreNotContainers) {
    for (const char* id : {"m/ar/999999", "m/al/999999", "m/ge/999999", "m/pl/1", "nothing",
                           "m/ar/0", "m/ar/-1", "m/ar/01", "m/al/1/2/3", "m/fo/fo-1-!!",
                           "m/fo/fo-9-", "m/all/t999999", "m/xx", "../etc", "m/ar/1/2/t3/t4"}) {
        auto a = browse(id, "BrowseMetadata");
        EXPECT_EQ(a.status, 500) << id;
        EXPECT_EQ(a.fault_code(), 701) << id << ": " << a.body.substr(0, 300);
        a = browse(id);
        EXPECT_EQ(a.status, 500) << id;
        EXPECT_TRUE(a.fault_code() == 701 || a.fault_code() == 710) << id;
    }
    auto tracks = world_->children_all("m/all", 10);
    ASSERT_FALSE(tracks.empty());
    auto a = browse(tracks[0].id);
    EXPECT_EQ(a.fault_code(), 710);
}

TEST_F(DlnaControl, BadArgumentsAre402AndBadSortIs709) {
    EXPECT_EQ(browse("0", "BrowseEverything").fault_code(), 402);
    EXPECT_EQ(browse("0", "BrowseDirectChildren", "abc").fault_code(), 402);
    EXPECT_EQ(browse("0", "BrowseDirectChildren", "-1").fault_code(), 402);
    EXPECT_EQ(browse("0", "BrowseDirectChildren", "0", "99999999999").fault_code(), 402);
    EXPECT_EQ(browse("m/all", "BrowseDirectChildren", "0", "0", "dc:title").fault_code(), 709);
    EXPECT_EQ(browse("m/all", "BrowseDirectChildren", "0", "0", "+upnp:nothing").fault_code(), 709);
    // No ObjectID at all.
    auto a = world_->call("ContentDirectory", "Browse", {{"BrowseFlag", "BrowseMetadata"}});
    EXPECT_EQ(a.fault_code(), 402);
    // An argument that is an element tree.
    a = world_->post_raw("ContentDirectory", kEnvelope + kBrowseOpen +
                                                 "<ObjectID><x/></ObjectID></u:Browse></s:Body>"
                                                 "</s:Envelope>");
    EXPECT_EQ(a.fault_code(), 402);
}

TEST_F(DlnaControl, HugeRequestedCountIsCappedNotRefused) {
    auto a = browse("m/all", "BrowseDirectChildren", "0", "4294967295");
    EXPECT_EQ(a.status, 200) << a.body.substr(0, 300);
    EXPECT_EQ(a.out("NumberReturned"), "4");
    EXPECT_EQ(a.out("TotalMatches"), "4");
    a = browse("m/all", "BrowseDirectChildren", "4294967295", "4294967295");
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.out("NumberReturned"), "0");
}

TEST_F(DlnaControl, MalformedEnvelopesAndUnknownActionsAre401) {
    for (const std::string& body :
         {std::string(""), std::string("not xml"), std::string("<a><b></a>"),
          std::string("<Envelope><Body><Browse/></Body></Envelope>"),
          kEnvelope + "</s:Body></s:Envelope>",
          kEnvelope + kBrowseOpen + "</u:Browse><u:Browse xmlns:u=\"x\"/></s:Body></s:Envelope>",
          kEnvelope + "<u:Browse xmlns:u=\"urn:other\"/></s:Body></s:Envelope>",
          kEnvelope + "<u:Shutdown xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\"/>"
                      "</s:Body></s:Envelope>",
          std::string("\xff\xfe<\x00")}) {
        auto a = world_->post_raw("ContentDirectory", body);
        EXPECT_EQ(a.status, 500) << body;
        EXPECT_EQ(a.fault_code(), 401) << body << ": " << a.body;
    }
}

TEST_F(DlnaControl, HostileXmlIsRefusedAtOnce) {
    // Billion laughs: ten levels of ten references.
    std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
    std::string prev = "lol";
    for (int i = 1; i <= 10; ++i) {
        std::string name = "lol" + std::to_string(i);
        laughs += "<!ENTITY " + name + " \"";
        for (int k = 0; k < 10; ++k)
            laughs += "&" + prev + ";";
        laughs += "\">";
        prev = name;
    }
    laughs += "]>" + kEnvelope + kBrowseOpen + "<ObjectID>&" + prev +
              ";</ObjectID></u:Browse></s:Body></s:Envelope>";
    std::string external =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" +
        kEnvelope + kBrowseOpen + "<ObjectID>&e;</ObjectID></u:Browse></s:Body></s:Envelope>";
    std::string deep = kEnvelope + kBrowseOpen;
    for (int i = 0; i < 5000; ++i)
        deep += "<a>";
    for (const auto& body : {laughs, external, deep}) {
        auto t0 = std::chrono::steady_clock::now();
        auto a = world_->post_raw("ContentDirectory", body);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
        EXPECT_EQ(a.status, 500);
        EXPECT_EQ(a.fault_code(), 401) << a.body;
        EXPECT_EQ(a.body.find("root:"), std::string::npos);  // nothing of /etc/passwd
        EXPECT_LT(ms, 5000);  // refused, not expanded (a generous bound for a loaded machine)
    }
}

TEST_F(DlnaControl, OversizeBodiesAre720) {
    std::string big = kEnvelope + kBrowseOpen + "<ObjectID>" + std::string(70 * 1024, 'a') +
                      "</ObjectID></u:Browse></s:Body></s:Envelope>";
    auto a = world_->post_raw("ContentDirectory", big);
    EXPECT_EQ(a.status, 500);
    EXPECT_EQ(a.fault_code(), 720);
    // The server goes on answering.
    EXPECT_EQ(browse("0", "BrowseMetadata").status, 200);
}

}  // namespace
}  // namespace sonique::test
