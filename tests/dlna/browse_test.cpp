// Browse over HTTP on a scanned library: the description, every container to its end, items'
// DIDL fields and escaping, metadata of each object, paging, sorting and stable ids.
#include <gtest/gtest.h>

#include <set>

#include "dlna_fixture.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::test {
namespace {

class DlnaBrowse : public DlnaSuite<> {};

// Every object under a container, depth first: containers and items.
void crawl(DlnaWorld& w, const std::string& id, std::vector<DidlObject>& out, int depth = 0) {
    ASSERT_LT(depth, 8) << id;
    for (auto& o : w.children_all(id, 2)) {
        EXPECT_EQ(o.parent, id);
        out.push_back(o);
        if (o.container) crawl(w, o.id, out, depth + 1);
    }
}

const DidlObject* by_title(const std::vector<DidlObject>& v, const std::string& title) {
    for (const auto& o : v)
        if (o.title == title) return &o;
    return nullptr;
}

TEST_F(DlnaBrowse, DescriptionUsesTheHostTheClientUsed) {
    auto res = world_->client()->Get("/dlna/description.xml", {{"Host", "192.168.7.20:8001"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_NE(res->get_header_value("Content-Type").find("text/xml"), std::string::npos);
    auto doc = dlna::parse_xml(res->body);
    ASSERT_TRUE(doc.root) << doc.error;
    EXPECT_EQ(doc.root->ns, "urn:schemas-upnp-org:device-1-0");
    const auto* device = doc.root->child("device");
    ASSERT_TRUE(device);
    EXPECT_EQ(device->child("deviceType")->text, "urn:schemas-upnp-org:device:MediaServer:1");
    EXPECT_EQ(device->child("friendlyName")->text, "Sonique on <test & co>");
    EXPECT_EQ(device->child("UDN")->text, "uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427");
    const auto* services = device->child("serviceList");
    ASSERT_TRUE(services);
    ASSERT_EQ(services->children.size(), 2u);
    std::set<std::string> types;
    for (const auto& s : services->children) {
        types.insert(s->child("serviceType")->text);
        for (const char* url : {"SCPDURL", "controlURL", "eventSubURL"})
            EXPECT_TRUE(s->child(url)->text.starts_with("http://192.168.7.20:8001/dlna/"))
                << s->child(url)->text;
        // Every SCPD it names is served and parses.
        std::string scpd =
            s->child("SCPDURL")->text.substr(std::string("http://192.168.7.20:8001").size());
        auto r = world_->client()->Get(scpd);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200) << scpd;
        auto sd = dlna::parse_xml(r->body);
        ASSERT_TRUE(sd.root) << scpd;
        EXPECT_EQ(sd.root->local, "scpd");
        EXPECT_TRUE(sd.root->child("actionList"));
        EXPECT_TRUE(sd.root->child("serviceStateTable"));
    }
    EXPECT_EQ(types, (std::set<std::string>{"urn:schemas-upnp-org:service:ContentDirectory:1",
                                            "urn:schemas-upnp-org:service:ConnectionManager:1"}));
    // A Host header that is not a host: the configured base URL.
    res = world_->client()->Get("/dlna/description.xml", {{"Host", "evil\"><x"}});
    ASSERT_TRUE(res);
    EXPECT_NE(res->body.find("http://127.0.0.1:1/dlna/control/ContentDirectory"),
              std::string::npos);
}

TEST_F(DlnaBrowse, RootAndMusicListTheTopContainers) {
    auto root = world_->browse("0", "BrowseMetadata");
    ASSERT_EQ(root.size(), 1u);
    EXPECT_EQ(root[0].id, "0");
    EXPECT_EQ(root[0].parent, "-1");
    EXPECT_TRUE(root[0].container);
    auto top = world_->browse("0", "BrowseDirectChildren");
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].title, "Music");
    auto music = world_->children_all("m", 3);
    std::vector<std::string> titles;
    for (const auto& o : music)
        titles.push_back(o.title);
    EXPECT_EQ(titles,
              (std::vector<std::string>{"Artists", "Album Artists", "Albums", "Genres", "Folders",
                                        "Playlists", "All Tracks", "Recently Added"}));
}

TEST_F(DlnaBrowse, EveryContainerBrowsesToItsEndAndEveryObjectReadsBack) {
    std::vector<DidlObject> all;
    crawl(*world_, "m", all);
    std::set<std::string> ids, tracks_seen;
    for (const auto& o : all) {
        EXPECT_TRUE(ids.insert(o.id).second) << "duplicate id " << o.id;
        if (!o.container) tracks_seen.insert(o.title);
        // BrowseMetadata gives the same object with the same parent.
        auto meta = world_->browse(o.id, "BrowseMetadata");
        ASSERT_EQ(meta.size(), 1u) << o.id;
        EXPECT_EQ(meta[0].id, o.id);
        EXPECT_EQ(meta[0].parent, o.parent) << o.id;
        EXPECT_EQ(meta[0].title, o.title) << o.id;
        EXPECT_EQ(meta[0].cls, o.cls) << o.id;
    }
    EXPECT_EQ(tracks_seen,
              (std::set<std::string>{"Dawn", "Noon", "Moon", "Tide \"Low\" & <High>"}));
    // Each way down reaches the tracks.
    auto count_under = [&](const std::string& prefix) {
        int n = 0;
        for (const auto& o : all)
            if (!o.container && o.id.starts_with(prefix)) ++n;
        return n;
    };
    for (const char* top : {"m/ar/", "m/aa/", "m/al/", "m/ge/", "m/fo/", "m/all/", "m/new/"})
        EXPECT_EQ(count_under(top), 4) << top;
    // Folders are the real folders.
    auto folders = world_->children_all("m/fo", 5);
    ASSERT_EQ(folders.size(), 1u);
    auto artists_dirs = world_->children_all(folders[0].id, 5);
    std::set<std::string> names;
    for (const auto& o : artists_dirs)
        names.insert(o.title);
    EXPECT_EQ(names, (std::set<std::string>{"Ada Drums", "Ben Keys", "Cleo & Co"}));
    // Genres -> artists -> albums -> tracks.
    auto genres = world_->children_all("m/ge", 5);
    const auto* jazz = by_title(genres, "Jazz");
    ASSERT_TRUE(jazz);
    EXPECT_EQ(jazz->cls, "object.container.genre.musicGenre");
    auto jazz_artists = world_->children_all(jazz->id, 5);
    ASSERT_EQ(jazz_artists.size(), 1u);
    EXPECT_EQ(jazz_artists[0].title, "Ben Keys");
    EXPECT_TRUE(by_title(genres, "Rock & Roll"));
}

TEST_F(DlnaBrowse, TrackItemsCarryTheirMetadataAndResources) {
    auto tracks = world_->children_all("m/all", 10);
    ASSERT_EQ(tracks.size(), 4u);
    const auto* moon = by_title(tracks, "Moon");
    ASSERT_TRUE(moon);
    EXPECT_EQ(moon->cls, "object.item.audioItem.musicTrack");
    EXPECT_EQ(moon->props.find("upnp:artist")->second, "Ben Keys");
    EXPECT_EQ(moon->props.find("dc:creator")->second, "Ben Keys");
    EXPECT_EQ(moon->props.find("upnp:album")->second, "Night Shift");
    EXPECT_EQ(moon->props.find("upnp:genre")->second, "Jazz");
    EXPECT_EQ(moon->props.find("dc:date")->second, "2021-01-01");
    EXPECT_EQ(moon->props.find("upnp:originalTrackNumber")->second, "1");
    ASSERT_EQ(moon->res.size(), 1u);
    EXPECT_TRUE(
        moon->res[0].first.starts_with("http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=01"))
        << moon->res[0].first;
    EXPECT_TRUE(moon->res[0].second.starts_with("http://127.0.0.1:"));
    EXPECT_EQ(moon->res_duration, "0:00:05.000");

    const auto* dawn = by_title(tracks, "Dawn");
    ASSERT_TRUE(dawn);
    ASSERT_EQ(dawn->res.size(), 1u);
    EXPECT_TRUE(dawn->res[0].first.starts_with("http-get:*:audio/flac:")) << dawn->res[0].first;
    // The album's cover as a JPEG_TN thumbnail.
    auto art = dawn->props.find("upnp:albumArtURI");
    ASSERT_NE(art, dawn->props.end());
    EXPECT_EQ(dawn->props.find("upnp:albumArtURI@profileID")->second, "JPEG_TN");
    EXPECT_TRUE(art->second.ends_with("/TN.jpg")) << art->second;
    EXPECT_EQ(moon->props.count("upnp:albumArtURI"), 0u);

    // Opus: the original and an MP3 made by ffmpeg, with XML's characters intact.
    const auto* tide = by_title(tracks, "Tide \"Low\" & <High>");
    ASSERT_TRUE(tide);
    EXPECT_EQ(tide->props.find("upnp:album")->second, "Odd <Formats>");
    EXPECT_EQ(tide->props.find("upnp:genre")->second, "Rock & Roll");
    ASSERT_EQ(tide->res.size(), 2u);
    EXPECT_TRUE(tide->res[1].first.starts_with(
        "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3;DLNA.ORG_OP=00;DLNA.ORG_CI=1"))
        << tide->res[1].first;
    EXPECT_TRUE(tide->res[1].second.ends_with("/mp3"));
}

TEST_F(DlnaBrowse, PagingSortingAndFilter) {
    int total = 0;
    auto first = world_->browse("m/all", "BrowseDirectChildren", 0, 1, "", &total);
    EXPECT_EQ(total, 4);
    ASSERT_EQ(first.size(), 1u);
    auto past = world_->browse("m/all", "BrowseDirectChildren", 10, 5, "", &total);
    EXPECT_TRUE(past.empty());
    EXPECT_EQ(total, 4);
    auto up = world_->browse("m/all", "BrowseDirectChildren", 0, 0, "+dc:title");
    auto down = world_->browse("m/all", "BrowseDirectChildren", 0, 0, "-dc:title");
    ASSERT_EQ(up.size(), 4u);
    ASSERT_EQ(down.size(), 4u);
    EXPECT_EQ(up[0].title, "Dawn");
    EXPECT_EQ(up[0].title, down[3].title);
    EXPECT_EQ(up[3].title, down[0].title);
    // By artist, then title (the joined tables in the page's choice), and by album, descending.
    auto by_artist =
        world_->browse("m/all", "BrowseDirectChildren", 0, 0, "+upnp:artist,-dc:title");
    ASSERT_EQ(by_artist.size(), 4u);
    EXPECT_EQ(by_artist[0].title, "Noon");
    EXPECT_EQ(by_artist[1].title, "Dawn");
    EXPECT_EQ(by_artist[2].title, "Moon");
    auto by_album = world_->browse("m/all", "BrowseDirectChildren", 1, 2, "-upnp:album,+dc:title");
    ASSERT_EQ(by_album.size(), 2u);
    EXPECT_EQ(by_album[0].title, "Moon");  // Odd <Formats>, Night Shift, First Light
    EXPECT_EQ(by_album[1].title, "Dawn");
    // Albums sort by their artist.
    auto albums_by_artist = world_->browse("m/al", "BrowseDirectChildren", 0, 0, "-upnp:artist");
    ASSERT_EQ(albums_by_artist.size(), 3u);
    EXPECT_EQ(albums_by_artist[0].title, "Odd <Formats>");
    EXPECT_EQ(albums_by_artist[2].title, "First Light");
    // Albums sort by title too.
    auto albums = world_->browse("m/al", "BrowseDirectChildren", 0, 0, "-dc:title");
    ASSERT_EQ(albums.size(), 3u);
    EXPECT_EQ(albums[0].title, "Odd <Formats>");
    EXPECT_EQ(albums[0].child_count, "1");
    // A filter that names only the title: no res, no artist.
    auto a = world_->call("ContentDirectory", "Browse",
                          {{"ObjectID", "m/all"},
                           {"BrowseFlag", "BrowseDirectChildren"},
                           {"Filter", "dc:title"},
                           {"StartingIndex", "0"},
                           {"RequestedCount", "10"},
                           {"SortCriteria", ""}});
    auto objs = parse_didl(a.out("Result"));
    ASSERT_EQ(objs.size(), 4u);
    EXPECT_TRUE(objs[0].res.empty());
    EXPECT_EQ(objs[0].props.count("upnp:artist"), 0u);
}

// Folders: a folder's subfolders by name, then the tracks right in it by path, the same paged
// one at a time as in one page; only what lies below the folder's own path (with its '/'): a
// folder named by a prefix of another's name is no folder (the listing reads a range of the
// path index, whose end is where that prefix would leak in).
TEST_F(DlnaBrowse, FoldersListSubfoldersThenTracksOfThatFolderOnly) {
    auto roots = world_->children_all("m/fo", 5);
    ASSERT_EQ(roots.size(), 1u);
    const std::string root = roots[0].id;
    auto top = world_->children_all(root, 1);
    std::vector<std::string> names;
    for (const auto& o : top) {
        EXPECT_TRUE(o.container) << o.id;
        names.push_back(o.title);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"Ada Drums", "Ben Keys", "Cleo & Co"}));
    EXPECT_EQ(top[0].id, "m/fo/" + services::folder_id(1, "Ada Drums"));

    auto ada = world_->browse(top[0].id, "BrowseMetadata");
    ASSERT_EQ(ada.size(), 1u);
    EXPECT_EQ(ada[0].child_count, "1");  // First Light
    const std::string light = "m/fo/" + services::folder_id(1, "Ada Drums/First Light");
    int total = 0;
    auto whole = world_->browse(light, "BrowseDirectChildren", 0, 0, "", &total);
    EXPECT_EQ(total, 2);  // the two FLACs; cover.jpg is no track
    ASSERT_EQ(whole.size(), 2u);
    EXPECT_EQ(whole[0].title, "Dawn");
    EXPECT_EQ(whole[1].title, "Noon");
    EXPECT_FALSE(whole[0].container);
    EXPECT_EQ(whole[0].parent, light);
    auto second = world_->browse(light, "BrowseDirectChildren", 1, 1, "", &total);
    EXPECT_EQ(total, 2);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, whole[1].id);
    EXPECT_TRUE(world_->browse(light, "BrowseDirectChildren", 2, 5, "", &total).empty());
    EXPECT_EQ(total, 2);
    auto meta = world_->browse(light, "BrowseMetadata");
    ASSERT_EQ(meta.size(), 1u);
    EXPECT_EQ(meta[0].child_count, "2");

    for (const char* rel : {"Ada", "Ada Drums/First", "Ada Drums/First Light/01 Dawn.flac"}) {
        for (const char* flag : {"BrowseDirectChildren", "BrowseMetadata"}) {
            auto a = world_->call("ContentDirectory", "Browse",
                                  {{"ObjectID", "m/fo/" + services::folder_id(1, rel)},
                                   {"BrowseFlag", flag},
                                   {"Filter", "*"},
                                   {"StartingIndex", "0"},
                                   {"RequestedCount", "0"},
                                   {"SortCriteria", ""}});
            EXPECT_EQ(a.fault_code(), 701) << rel << " " << flag << ": " << a.body.substr(0, 300);
        }
    }
}

// Pages after the first start where the previous one ended (keyset): the same children as one
// page, whatever came before (a search's pages on the same rows included).
TEST_F(DlnaBrowse, KeysetPagesMatchOnePage) {
    for (const char* id : {"m/all", "m/al", "m/ar", "m/aa"}) {
        auto whole = world_->browse(id, "BrowseDirectChildren", 0, 0);
        world_->search("*");
        auto a = world_->call("ContentDirectory", "Search",
                              {{"ContainerID", "0"},
                               {"SearchCriteria", "dc:title = \"Moon\""},
                               {"Filter", "*"},
                               {"StartingIndex", "0"},
                               {"RequestedCount", "1"},
                               {"SortCriteria", ""}});
        EXPECT_EQ(a.out("NumberReturned"), "1");
        for (int page : {1, 2, 3}) {
            auto paged = world_->children_all(id, page);
            ASSERT_EQ(paged.size(), whole.size()) << id;
            for (size_t i = 0; i < whole.size(); ++i)
                EXPECT_EQ(paged[i].id, whole[i].id) << id << " page " << page;
        }
        // A jump to the middle without the page before it.
        auto tail = world_->browse(id, "BrowseDirectChildren", 1, 0);
        ASSERT_EQ(tail.size(), whole.size() - 1);
        EXPECT_EQ(tail[0].id, whole[1].id);
    }
}

TEST_F(DlnaBrowse, IdsStayTheSameAcrossARescan) {
    std::vector<DidlObject> before, after;
    crawl(*world_, "m", before);
    world_->rescan();
    crawl(*world_, "m", after);
    std::set<std::string> a, b;
    for (const auto& o : before)
        a.insert(o.id);
    for (const auto& o : after)
        b.insert(o.id);
    EXPECT_EQ(a, b);
    EXPECT_GT(a.size(), 20u);
}

TEST_F(DlnaBrowse, SystemUpdateIdComesFromTheCallback) {
    world_->update_id = 41;
    auto a = world_->call("ContentDirectory", "GetSystemUpdateID", {});
    EXPECT_EQ(a.out("Id"), "41");
    world_->update_id = 42;
    a = world_->call("ContentDirectory", "GetSystemUpdateID", {});
    EXPECT_EQ(a.out("Id"), "42");
    world_->update_id = 7;
    EXPECT_EQ(world_->call("ContentDirectory", "GetSortCapabilities", {}).out("SortCaps"),
              "dc:title,upnp:artist,upnp:album,dc:date,upnp:originalTrackNumber,upnp:genre");
    EXPECT_NE(world_->call("ContentDirectory", "GetSearchCapabilities", {})
                  .out("SearchCaps")
                  .find("upnp:class"),
              std::string::npos);
}

TEST_F(DlnaBrowse, ConnectionManagerAnswers) {
    auto a = world_->call("ConnectionManager", "GetProtocolInfo", {});
    EXPECT_EQ(a.status, 200);
    EXPECT_NE(a.out("Source").find("audio/mpeg:DLNA.ORG_PN=MP3"), std::string::npos);
    EXPECT_EQ(world_->call("ConnectionManager", "GetCurrentConnectionIDs", {}).out("ConnectionIDs"),
              "0");
    a = world_->call("ConnectionManager", "GetCurrentConnectionInfo", {{"ConnectionID", "0"}});
    EXPECT_EQ(a.out("Status"), "OK");
    EXPECT_EQ(a.out("Direction"), "Output");
    a = world_->call("ConnectionManager", "GetCurrentConnectionInfo", {{"ConnectionID", "5"}});
    EXPECT_EQ(a.status, 500);
    EXPECT_EQ(a.fault_code(), 706);
    // A ContentDirectory action at the ConnectionManager's URL is not one of its actions.
    a = world_->post_raw(
        "ConnectionManager",
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
        "<u:Browse xmlns:u=\"urn:schemas-upnp-org:service:ContentDirectory:1\"/>"
        "</s:Body></s:Envelope>");
    EXPECT_EQ(a.fault_code(), 401);
}

}  // namespace
}  // namespace sonique::test
