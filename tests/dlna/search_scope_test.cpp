// Search below its ContainerID (only what Browse reaches from there), per-container UpdateIDs
// after a write, and hostile input to Search and ConnectionManager over HTTP answered with
// faults.
#include <gtest/gtest.h>

#include <algorithm>

#include "db/pool.hpp"
#include "dlna_fixture.hpp"

namespace sonique::test {
namespace {

class DlnaScope : public DlnaSuite<> {
  protected:
    static SoapAnswer search_raw(const std::string& container, const std::string& criteria,
                                 const std::string& count = "0") {
        return world_->call("ContentDirectory", "Search",
                            {{"ContainerID", container},
                             {"SearchCriteria", criteria},
                             {"Filter", "*"},
                             {"StartingIndex", "0"},
                             {"RequestedCount", count},
                             {"SortCriteria", ""}});
    }
    // The sorted titles found below a container.
    static std::vector<std::string> search(const std::string& container,
                                           const std::string& criteria = "*") {
        auto a = search_raw(container, criteria);
        EXPECT_EQ(a.status, 200) << container << " " << criteria << ": " << a.body.substr(0, 300);
        std::vector<std::string> out;
        for (const auto& o : parse_didl(a.out("Result")))
            out.push_back(o.title);
        std::sort(out.begin(), out.end());
        return out;
    }
    // The id of a child of `container` titled `title`.
    static std::string child(const std::string& container, const std::string& title) {
        for (const auto& o : world_->children_all(container, 50))
            if (o.title == title) return o.id;
        ADD_FAILURE() << "no " << title << " in " << container;
        return "none";
    }
};

using Titles = std::vector<std::string>;

TEST_F(DlnaScope, SearchReturnsOnlyWhatLiesBelowItsContainer) {
    const std::string artists = "upnp:class = \"object.container.person.musicArtist\"";
    const std::string albums = "upnp:class derivedfrom \"object.container.album\"";
    EXPECT_EQ(search("0").size(), 4u);
    EXPECT_EQ(search("m/all").size(), 4u);
    std::string ada = child("m/ar", "Ada Drums"), ben = child("m/ar", "Ben Keys");
    EXPECT_EQ(search(ada), (Titles{"Dawn", "Noon"}));
    EXPECT_EQ(search(ben), (Titles{"Moon"}));
    EXPECT_EQ(search(ada, "dc:title = \"Moon\""), Titles{});
    EXPECT_EQ(search(ada, albums), (Titles{"First Light"}));
    EXPECT_EQ(search(ada, artists), Titles{});  // no artists below an artist
    std::string night = child(ben, "Night Shift");
    EXPECT_EQ(search(night), (Titles{"Moon"}));
    EXPECT_EQ(search(child("m/al", "First Light")), (Titles{"Dawn", "Noon"}));
    EXPECT_EQ(search(child("m/aa", "Cleo & Co")), (Titles{"Tide \"Low\" & <High>"}));
    EXPECT_EQ(search(child("m/aa", "Cleo & Co"), albums), (Titles{"Odd <Formats>"}));
    // Genres: their tracks, artists and albums only.
    std::string jazz = child("m/ge", "Jazz"), ambient = child("m/ge", "Ambient");
    EXPECT_EQ(search(jazz), (Titles{"Moon"}));
    EXPECT_EQ(search(ambient), (Titles{"Dawn", "Noon"}));
    EXPECT_EQ(search(jazz, artists), (Titles{"Ben Keys"}));
    EXPECT_EQ(search(ambient, albums), (Titles{"First Light"}));
    EXPECT_EQ(search(child(jazz, "Ben Keys")), (Titles{"Moon"}));
    EXPECT_EQ(search("m/ge", artists).size(), 3u);
    EXPECT_EQ(search("m/aa", artists), (Titles{"Ada Drums", "Ben Keys", "Cleo & Co"}));
    // Folders: every track below, at any depth.
    std::string root = world_->children_all("m/fo", 10).at(0).id;
    EXPECT_EQ(search(root).size(), 4u);
    EXPECT_EQ(search(child(root, "Ben Keys")), (Titles{"Moon"}));
    EXPECT_EQ(search(child(root, "Ada Drums"), "dc:title contains \"oo\""), (Titles{"Noon"}));
    // No playlist, nothing below Playlists; the newest tracks are all four here.
    EXPECT_EQ(search("m/pl"), Titles{});
    EXPECT_EQ(search("m/new").size(), 4u);
    // An item or a malformed id is no container.
    EXPECT_EQ(search_raw(child(night, "Moon"), "*").fault_code(), 710);
    EXPECT_EQ(search_raw("m/fo/fo-1-!!", "*").fault_code(), 710);
    // Well-formed ids that no row backs: no such container, not an empty answer.
    for (const char* id :
         {"m/ar/999999", "m/al/999999", "m/ge/999999", "m/pl/999999", "m/aa/999999"})
        EXPECT_EQ(search_raw(id, "*").fault_code(), 710) << id;
    // An existing container where nothing matches is an empty answer.
    auto none = search_raw("m/all", "dc:title = \"no title like this\"");
    EXPECT_EQ(none.status, 200) << none.body.substr(0, 300);
    EXPECT_EQ(none.out("TotalMatches"), "0");
    // TotalMatches counts the matches, not the container searched (All Tracks, Albums).
    for (const char* scope : {"0", "m", "m/all", "m/al"})
        EXPECT_EQ(search_raw(scope, "dc:title = \"Moon\"").out("TotalMatches"), "1") << scope;
    for (const char* scope : {"0", "m", "m/al"})
        EXPECT_EQ(search_raw(scope,
                             "upnp:class derivedfrom \"object.container.album\" and "
                             "dc:title = \"First Light\"")
                      .out("TotalMatches"),
                  "1")
            << scope;
}

TEST_F(DlnaScope, BrowseUpdateIdsFollowTheContainersAWriteChanged) {
    std::string album = child("m/al", "Night Shift");
    auto update_of = [](const std::string& id) {
        return world_
            ->call("ContentDirectory", "Browse",
                   {{"ObjectID", id},
                    {"BrowseFlag", "BrowseDirectChildren"},
                    {"Filter", "*"},
                    {"StartingIndex", "0"},
                    {"RequestedCount", "0"},
                    {"SortCriteria", ""}})
            .out("UpdateID");
    };
    std::string album_before = update_of(album), playlists_before = update_of("m/pl");
    std::string other_before = update_of(child("m/al", "First Light"));
    EXPECT_NE(album_before, "0");  // the scan added its tracks
    EXPECT_EQ(playlists_before, "0");
    world_->server().runtime().services().pool.acquire()->exec(
        "UPDATE tracks SET title = 'Moon (live)' WHERE title = 'Moon'");
    std::string album_after = update_of(album);
    EXPECT_GT(std::stoul(album_after), std::stoul(album_before));
    EXPECT_EQ(update_of(album), world_->expected_update_id(album, "BrowseDirectChildren"));
    EXPECT_EQ(update_of("m/all"), album_after);  // the same write
    EXPECT_EQ(update_of("m/pl"), playlists_before);
    EXPECT_EQ(update_of(child("m/al", "First Light")), other_before);
    EXPECT_EQ(update_of("0"), "0");  // the root's children are fixed
    world_->server().runtime().services().pool.acquire()->exec(
        "UPDATE tracks SET title = 'Moon' WHERE title = 'Moon (live)'");
}

TEST_F(DlnaScope, HostileSearchesAndConnectionArgumentsAreFaults) {
    std::string many = "dc:title = \"a\"";
    for (int i = 0; i < 70; ++i)
        many += " or dc:title = \"a\"";
    std::string deep = std::string(40, '(') + "dc:title = \"a\"" + std::string(40, ')');
    std::string huge = "dc:title contains \"" + std::string(5000, 'a') + "\"";
    for (const auto& c : {many, deep, huge, std::string("dc:title = \"&amp;\" and")}) {
        auto a = search_raw("0", c);
        EXPECT_EQ(a.status, 500) << c.substr(0, 80);
        EXPECT_EQ(a.fault_code(), 708) << c.substr(0, 80) << ": " << a.body.substr(0, 300);
    }
    // A huge RequestedCount is served a page at a time; past ui4 it is an invalid argument.
    auto a = search_raw("0", "*", "4294967295");
    EXPECT_EQ(a.status, 200);
    EXPECT_EQ(a.out("NumberReturned"), "4");
    EXPECT_EQ(search_raw("0", "*", "4294967296").fault_code(), 402);
    EXPECT_EQ(search_raw("0", "*", "-5").fault_code(), 402);
    // No SearchCriteria, no ContainerID: invalid arguments.
    EXPECT_EQ(world_->call("ContentDirectory", "Search", {{"ContainerID", "0"}}).fault_code(), 402);
    EXPECT_EQ(world_->call("ContentDirectory", "Search", {{"SearchCriteria", "*"}}).fault_code(),
              402);
    for (const char* id : {"x", "", "99999999999999999999"})
        EXPECT_EQ(
            world_->call("ConnectionManager", "GetCurrentConnectionInfo", {{"ConnectionID", id}})
                .fault_code(),
            402)
            << id;
    EXPECT_EQ(world_->call("ConnectionManager", "GetCurrentConnectionInfo", {}).fault_code(), 402);
    // An entity expansion aimed at Search: refused before the action is read.
    std::string body =
        "<?xml version=\"1.0\"?><!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
        "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><s:Envelope "
        "xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:Search "
        "xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\"><ContainerID>0</ContainerID>"
        "<SearchCriteria>dc:title = \"&b;\"</SearchCriteria></u:Search></s:Body></s:Envelope>";
    EXPECT_EQ(world_->post_raw("ContentDirectory", body).fault_code(), 401);
    EXPECT_EQ(world_->post_raw("ConnectionManager", body).fault_code(), 401);
}

}  // namespace
}  // namespace sonique::test
