// Playlists: every method in JSON and XML against the spec's Playlist and PlaylistWithSongs,
// ownership and public visibility across two users, the playlist role, updates by index, and
// ids of the wrong kind.
#include <gtest/gtest.h>

#include <regex>

#include "user_lists_support.hpp"

namespace sonique::test {
namespace {

bool iso_date(const Json& v) {
    static const std::regex re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)");
    return v.is_string() && std::regex_match(v.get<std::string>(), re);
}

// Creates a playlist of `owner` with the songs n (1..10); its id.
std::string create(SubsonicServer& s, const Query& owner, const std::string& name,
                   const std::vector<int>& songs) {
    Query q = owner + Query{{"name", name}};
    for (int n : songs)
        q.emplace_back("songId", song(n));
    Json r = s.json("createPlaylist", q);
    EXPECT_EQ(r["status"], "ok") << r.dump();
    return r["playlist"]["id"].get<std::string>();
}

std::vector<std::string> songs(const std::vector<int>& ns) {
    std::vector<std::string> out;
    for (int n : ns)
        out.push_back(song(n));
    return out;
}

Json find(const Json& playlists, const std::string& id) {
    for (const auto& p : playlists["playlists"]["playlist"])
        if (p["id"] == id) return p;
    return Json();
}

TEST(SubsonicPlaylists, CreateAnswersThePlaylistWithItsSongsInBothFormats) {
    auto& s = shared_server();
    fill_user_lists(s);
    Json r = s.json("createPlaylist", as_owner() + Query{{"name", "Road trip"},
                                                         {"songId", song(1)},
                                                         {"songId", song(2)},
                                                         {"songId", song(1)}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& p = r["playlist"];
    std::string id = p["id"];
    EXPECT_TRUE(id.starts_with("pl-")) << id;
    EXPECT_EQ(p["name"], "Road trip");
    EXPECT_EQ(p["owner"], kOwnerName);
    EXPECT_EQ(p["public"], false);
    EXPECT_EQ(p["readonly"], false);
    EXPECT_EQ(p["songCount"], 3);
    EXPECT_EQ(p["duration"], 40);  // 10 + 20 + 10 seconds
    EXPECT_TRUE(iso_date(p["created"])) << p.dump();
    EXPECT_TRUE(iso_date(p["changed"])) << p.dump();
    EXPECT_FALSE(p.contains("comment"));
    ASSERT_TRUE(p["entry"].is_array());
    EXPECT_EQ(ids_of(p["entry"]), songs({1, 2, 1}));
    const Json& e = p["entry"][1];
    EXPECT_EQ(e["title"], "Song 2");
    EXPECT_EQ(e["isDir"], false);
    EXPECT_EQ(e["album"], "List Album");
    EXPECT_EQ(e["albumId"], "al-16001");
    EXPECT_EQ(e["duration"], 20);
    EXPECT_EQ(e["suffix"], "mp3");
    EXPECT_EQ(e["contentType"], "audio/mpeg");

    // getPlaylist: the same playlist; XML with the same values.
    Json g = s.json("getPlaylist", as_owner() + Query{{"id", id}});
    EXPECT_EQ(g["playlist"], p);
    XmlNode x = s.xml("getPlaylist", as_owner() + Query{{"id", id}});
    const XmlNode* xp = x.first(ns("playlist"));
    ASSERT_NE(xp, nullptr);
    EXPECT_EQ(xp->attrs.at("id"), id);
    EXPECT_EQ(xp->attrs.at("songCount"), "3");
    EXPECT_EQ(xp->attrs.at("duration"), "40");
    EXPECT_EQ(xp->attrs.at("public"), "false");
    EXPECT_EQ(xp->attrs.at("readonly"), "false");
    auto entries = xp->all(ns("entry"));
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[2]->attrs.at("id"), song(1));
    EXPECT_EQ(entries[2]->attrs.at("contentType"), "audio/mpeg");

    // getPlaylists: a list of Playlist (no entries), an array in JSON.
    Json l = s.json("getPlaylists", as_owner());
    ASSERT_TRUE(l["playlists"]["playlist"].is_array()) << l.dump();
    Json listed = find(l, id);
    ASSERT_FALSE(listed.is_null()) << l.dump();
    EXPECT_FALSE(listed.contains("entry"));
    EXPECT_EQ(listed["songCount"], 3);
    XmlNode xl = s.xml("getPlaylists", as_owner());
    bool seen = false;
    for (const auto* n : xl.first(ns("playlists"))->all(ns("playlist")))
        seen = seen || n->attrs.at("id") == id;
    EXPECT_TRUE(seen);
}

TEST(SubsonicPlaylists, PrivateToItsOwnerPublicToAllChangedOnlyByItsOwner) {
    auto& s = shared_server();
    fill_user_lists(s);
    std::string id = create(s, as_owner(), "Mine", {3});
    // Another user neither lists nor opens a private playlist (70: its existence is not told).
    EXPECT_TRUE(find(s.json("getPlaylists", as_other()), id).is_null());
    EXPECT_EQ(error_code(s.json("getPlaylist", as_other() + Query{{"id", id}})), 70);
    EXPECT_EQ(
        error_code(s.json("updatePlaylist", as_other() + Query{{"playlistId", id}, {"name", "x"}})),
        70);
    // Made public, it is listed and opened by everyone, read-only for them.
    ASSERT_EQ(s.json("updatePlaylist",
                     as_owner() + Query{{"playlistId", id}, {"public", "true"}})["status"],
              "ok");
    Json other = find(s.json("getPlaylists", as_other()), id);
    ASSERT_FALSE(other.is_null());
    EXPECT_EQ(other["public"], true);
    EXPECT_EQ(other["readonly"], true);
    EXPECT_EQ(find(s.json("getPlaylists", as_owner()), id)["readonly"], false);
    EXPECT_EQ(s.json("getPlaylist", as_alice() + Query{{"id", id}})["playlist"]["songCount"], 1);
    // Others may not change or delete it.
    EXPECT_EQ(error_code(s.json("updatePlaylist",
                                as_other() + Query{{"playlistId", id}, {"songIdToAdd", song(1)}})),
              50);
    EXPECT_EQ(error_code(s.json("createPlaylist",
                                as_other() + Query{{"playlistId", id}, {"songId", song(1)}})),
              50);
    EXPECT_EQ(error_code(s.json("deletePlaylist", as_other() + Query{{"id", id}})), 50);
    EXPECT_EQ(s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"]["songCount"], 1);
    // An administrator may.
    EXPECT_EQ(s.json("updatePlaylist",
                     as_admin() + Query{{"playlistId", id}, {"comment", "ok"}})["status"],
              "ok");
    EXPECT_EQ(s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"]["comment"], "ok");
    // The owner deletes it.
    EXPECT_EQ(s.json("deletePlaylist", as_owner() + Query{{"id", id}})["status"], "ok");
    EXPECT_EQ(error_code(s.json("getPlaylist", as_owner() + Query{{"id", id}})), 70);
    EXPECT_EQ(error_code(s.json("deletePlaylist", as_owner() + Query{{"id", id}})), 70);
}

TEST(SubsonicPlaylists, ChangesNeedThePlaylistRole) {
    auto& s = shared_server();
    fill_user_lists(s);
    // alice has the default roles: no playlist role.
    EXPECT_EQ(error_code(s.json("createPlaylist", as_alice() + Query{{"name", "no"}})), 50);
    std::string id = create(s, as_owner(), "Role", {1});
    EXPECT_EQ(error_code(s.json("updatePlaylist", as_alice() + Query{{"playlistId", id}})), 50);
    EXPECT_EQ(error_code(s.json("deletePlaylist", as_alice() + Query{{"id", id}})), 50);
    // The XML error too.
    XmlNode x = s.xml("createPlaylist", as_alice() + Query{{"name", "no"}});
    ASSERT_NE(x.first(ns("error")), nullptr);
    EXPECT_EQ(x.first(ns("error"))->attrs.at("code"), "50");
}

TEST(SubsonicPlaylists, UsernameListsAnotherUsersPlaylistsForAdministrators) {
    auto& s = shared_server();
    fill_user_lists(s);
    std::string id = create(s, as_other(), "Other's private", {2});
    EXPECT_EQ(error_code(s.json("getPlaylists", as_alice() + Query{{"username", kOtherName}})), 50);
    EXPECT_FALSE(
        find(s.json("getPlaylists", as_admin() + Query{{"username", kOtherName}}), id).is_null());
    EXPECT_TRUE(find(s.json("getPlaylists", as_admin()), id).is_null());
    EXPECT_EQ(error_code(s.json("getPlaylists", as_admin() + Query{{"username", "nobody"}})), 70);
    // One's own name is always allowed.
    EXPECT_FALSE(
        find(s.json("getPlaylists", as_other() + Query{{"username", "other"}}), id).is_null());
}

TEST(SubsonicPlaylists, UpdateRemovesByTheOldIndexesThenAppends) {
    auto& s = shared_server();
    fill_user_lists(s);
    std::string id = create(s, as_owner(), "Edit", {1, 2, 3, 4, 5});
    Json r = s.json("updatePlaylist", as_owner() + Query{{"playlistId", id},
                                                         {"name", "Edited"},
                                                         {"comment", "new"},
                                                         {"songIndexToRemove", "3"},
                                                         {"songIndexToRemove", "1"},
                                                         {"songIndexToRemove", "3"},
                                                         {"songIdToAdd", song(6)},
                                                         {"songIdToAdd", song(1)}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_FALSE(r.contains("playlist"));  // an empty answer
    Json p = s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"];
    EXPECT_EQ(ids_of(p["entry"]), songs({1, 3, 5, 6, 1}));
    EXPECT_EQ(p["name"], "Edited");
    EXPECT_EQ(p["comment"], "new");
    // Removing the first and last of the new list.
    ASSERT_EQ(s.json("updatePlaylist", as_owner() + Query{{"playlistId", id},
                                                          {"songIndexToRemove", "0"},
                                                          {"songIndexToRemove", "4"}})["status"],
              "ok");
    EXPECT_EQ(ids_of(s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"]["entry"]),
              songs({3, 5, 6}));
    // createPlaylist with playlistId replaces the songs.
    Json c =
        s.json("createPlaylist",
               as_owner() + Query{{"playlistId", id}, {"songId", song(9)}, {"songId", song(9)}});
    ASSERT_EQ(c["status"], "ok") << c.dump();
    EXPECT_EQ(c["playlist"]["id"], id);
    EXPECT_EQ(c["playlist"]["name"], "Edited");
    EXPECT_EQ(ids_of(c["playlist"]["entry"]), songs({9, 9}));
    // With no songIds at all: emptied.
    c = s.json("createPlaylist", as_owner() + Query{{"playlistId", id}, {"name", "Empty"}});
    EXPECT_EQ(c["playlist"]["songCount"], 0);
    EXPECT_EQ(c["playlist"]["duration"], 0);
    EXPECT_TRUE(c["playlist"]["entry"].is_array());
    EXPECT_EQ(c["playlist"]["name"], "Empty");
}

TEST(SubsonicPlaylists, BadInputIsRefusedAndChangesNothing) {
    auto& s = shared_server();
    fill_user_lists(s);
    std::string id = create(s, as_owner(), "Guarded", {1, 2});
    auto entries = [&] {
        return ids_of(s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"]["entry"]);
    };
    auto update = [&](const Query& q) {
        return error_code(s.json("updatePlaylist", as_owner() + Query{{"playlistId", id}} + q));
    };
    EXPECT_EQ(update({{"songIndexToRemove", "-1"}}), 0);
    EXPECT_EQ(update({{"songIndexToRemove", "2"}}), 0);  // past the end
    EXPECT_EQ(update({{"songIndexToRemove", "x"}}), 0);
    EXPECT_EQ(update({{"songIndexToRemove", "0"}, {"songIdToAdd", "al-16001"}}), 70);
    EXPECT_EQ(update({{"songIndexToRemove", "0"}, {"songIdToAdd", "tr-99999999"}}), 70);
    EXPECT_EQ(update({{"public", "yes"}}), 0);
    EXPECT_EQ(update({{"name", "  "}}), 0);
    EXPECT_EQ(update({{"name", std::string(501, 'n')}}), 0);
    EXPECT_EQ(entries(), songs({1, 2}));
    // Ids of the wrong kind, or none.
    EXPECT_EQ(error_code(s.json("getPlaylist", as_owner() + Query{{"id", "al-16001"}})), 70);
    EXPECT_EQ(error_code(s.json("getPlaylist", as_owner() + Query{{"id", "16001"}})), 70);
    EXPECT_EQ(error_code(s.json("getPlaylist", as_owner() + Query{{"id", "pl-0"}})), 70);
    EXPECT_EQ(error_code(s.json("getPlaylist", as_owner())), 10);
    EXPECT_EQ(error_code(s.json("updatePlaylist", as_owner())), 10);
    EXPECT_EQ(error_code(s.json("deletePlaylist", as_owner() + Query{{"id", song(1)}})), 70);
    EXPECT_EQ(error_code(s.json("createPlaylist", as_owner())), 10);
    // A create that names a missing song creates nothing.
    size_t before = s.json("getPlaylists", as_owner())["playlists"]["playlist"].size();
    EXPECT_EQ(error_code(s.json("createPlaylist",
                                as_owner() + Query{{"name", "x"}, {"songId", "tr-99999999"}})),
              70);
    EXPECT_EQ(error_code(s.json("createPlaylist",
                                as_owner() + Query{{"name", "x"}, {"songId", "ar-16001"}})),
              70);
    EXPECT_EQ(s.json("getPlaylists", as_owner())["playlists"]["playlist"].size(), before);
}

TEST(SubsonicPlaylists, LongListsUpToTheLimitThroughAFormBody) {
    auto& s = shared_server();
    fill_user_lists(s);
    std::string id = create(s, as_owner(), "Long", {});
    Query add{{"playlistId", id}};
    for (int i = 0; i < 10000; ++i)
        add.emplace_back("songIdToAdd", song(i % 10 + 1));
    Json r = post_json(s, "updatePlaylist", as_owner() + add);
    ASSERT_EQ(r["status"], "ok") << r.dump().substr(0, 300);
    Json p = s.json("getPlaylist", as_owner() + Query{{"id", id}})["playlist"];
    EXPECT_EQ(p["songCount"], 10000);
    EXPECT_EQ(p["entry"].size(), 10000u);
    EXPECT_EQ(p["entry"][9999]["id"], song(10));
    // One more is past the limit: refused whole.
    EXPECT_EQ(error_code(s.json("updatePlaylist",
                                as_owner() + Query{{"playlistId", id}, {"songIdToAdd", song(1)}})),
              0);
    // Removing one and adding one stays within it.
    EXPECT_EQ(error_code(s.json("updatePlaylist", as_owner() + Query{{"playlistId", id},
                                                                     {"songIndexToRemove", "0"},
                                                                     {"songIdToAdd", song(1)}})),
              -1);
    // More than the limit in one request is refused before the database.
    Query huge{{"name", "Huge"}};
    for (int i = 0; i < 10001; ++i)
        huge.emplace_back("songId", song(1));
    EXPECT_EQ(error_code(post_json(s, "createPlaylist", as_owner() + huge)), 0);
}

}  // namespace
}  // namespace sonique::test
