// getArtistInfo(2), getAlbumInfo(2), getSimilarSongs(2), getLyrics and getLyricsBySongId over
// what the REST API stores (Last.fm information, similar artists) and the lyrics a scan keeps.
#include <gtest/gtest.h>

#include <set>

#include "browse_support.hpp"

namespace sonique::test {
namespace {

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

TEST(SubsonicInfo, ArtistInfoFromLastfmAndSimilarArtists) {
    auto& s = browse_server();
    Json r = s.json("getArtistInfo2", as_alice() + Query{{"id", "ar-1"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& i = r["artistInfo2"];
    EXPECT_EQ(i["biography"], "An English rock band.");
    EXPECT_EQ(i["musicBrainzId"], "mb-cure");
    EXPECT_EQ(i["lastFmUrl"], "https://www.last.fm/music/The+Cure");
    EXPECT_EQ(i["smallImageUrl"], "https://img/s.jpg");
    EXPECT_EQ(i["mediumImageUrl"], "https://img/m.jpg");
    EXPECT_EQ(i["largeImageUrl"], "https://img/l.jpg");
    // Best weight first; ArtistID3 with albumCount.
    ASSERT_EQ(i["similarArtist"].size(), 2u) << i.dump();
    EXPECT_EQ(i["similarArtist"][0]["id"], "ar-2");
    EXPECT_EQ(i["similarArtist"][0]["name"], "Adele");
    EXPECT_EQ(i["similarArtist"][0]["albumCount"], 1);
    EXPECT_EQ(i["similarArtist"][1]["id"], "ar-3");
    // count, and an album's or song's id stands for its artist.
    Json one = s.json("getArtistInfo2", as_alice() + Query{{"id", "tr-2"}, {"count", "1"}});
    ASSERT_EQ(one["artistInfo2"]["similarArtist"].size(), 1u) << one.dump();
    EXPECT_EQ(
        s.json("getArtistInfo2", as_alice() + Query{{"id", "al-1"}})["artistInfo2"]["lastFmUrl"],
        i["lastFmUrl"]);
    // The non-ID3 form: Artist (id and name only).
    Json old = s.json("getArtistInfo", as_alice() + Query{{"id", "ar-1"}});
    EXPECT_EQ(old["artistInfo"]["similarArtist"][0], Json({{"id", "ar-2"}, {"name", "Adele"}}));
    XmlNode x = s.xml("getArtistInfo", as_alice() + Query{{"id", "ar-1"}});
    const XmlNode* xi = x.first(ns("artistInfo"));
    ASSERT_NE(xi, nullptr);
    EXPECT_EQ(xi->attrs.at("lastFmUrl"), "https://www.last.fm/music/The+Cure");
    EXPECT_EQ(xi->all(ns("similarArtist")).size(), 2u);
    XmlNode x2 = s.xml("getArtistInfo2", as_alice() + Query{{"id", "ar-1"}});
    const XmlNode* xi2 = x2.first(ns("artistInfo2"));
    ASSERT_NE(xi2, nullptr);
    ASSERT_NE(xi2->first(ns("similarArtist")), nullptr);
    EXPECT_EQ(xi2->first(ns("similarArtist"))->attrs.at("albumCount"), "1");
    EXPECT_EQ(xi2->attrs.at("musicBrainzId"), "mb-cure");
    // An artist without information: an empty artistInfo2, the similar list an array.
    Json bare = s.json("getArtistInfo2", as_alice() + Query{{"id", "ar-3"}});
    EXPECT_EQ(bare["artistInfo2"], Json({{"similarArtist", Json::array()}})) << bare.dump();
    for (std::string bad : {"ar-999", "al-999", "fo-1-", "x"})
        EXPECT_EQ(code(s.json("getArtistInfo2", as_alice() + Query{{"id", bad}})), 70) << bad;
    EXPECT_EQ(code(s.json("getArtistInfo2", as_alice() + Query{{"id", "ar-1"}, {"count", "-1"}})),
              0);
}

TEST(SubsonicInfo, SimilarArtistsWithoutMusicOnlyWhenAskedFor) {
    auto& s = browse_server();
    // "Ghost" is similar to Adele but has nothing in the library.
    s.server().runtime().services().pool.acquire()->exec_script(
        "INSERT INTO artists (id, name) VALUES (50, 'Ghost') ON CONFLICT DO NOTHING;"
        "INSERT INTO artist_similar (artist_id, similar_artist_id, weight) VALUES (2, 50, 1) "
        "ON CONFLICT DO NOTHING;");
    Json r = s.json("getArtistInfo2", as_alice() + Query{{"id", "ar-2"}});
    ASSERT_EQ(r["artistInfo2"]["similarArtist"].size(), 1u) << r.dump();
    EXPECT_EQ(r["artistInfo2"]["similarArtist"][0]["name"], "The Cure");
    Json all =
        s.json("getArtistInfo2", as_alice() + Query{{"id", "ar-2"}, {"includeNotPresent", "true"}});
    ASSERT_EQ(all["artistInfo2"]["similarArtist"].size(), 2u) << all.dump();
    EXPECT_EQ(all["artistInfo2"]["similarArtist"][0]["name"], "Ghost");
}

TEST(SubsonicInfo, AlbumInfo) {
    auto& s = browse_server();
    for (const char* method : {"getAlbumInfo", "getAlbumInfo2"}) {
        Json r = s.json(method, as_alice() + Query{{"id", "al-1"}});
        ASSERT_EQ(r["status"], "ok") << r.dump();
        EXPECT_EQ(r["albumInfo"], Json({{"musicBrainzId", "mb-disintegration"}}));
        EXPECT_EQ(s.json(method, as_alice() + Query{{"id", "al-2"}})["albumInfo"], Json::object());
        EXPECT_EQ(code(s.json(method, as_alice() + Query{{"id", "ar-1"}})), 70);
    }
    XmlNode x = s.xml("getAlbumInfo2", as_alice() + Query{{"id", "al-1"}});
    ASSERT_NE(x.first(ns("albumInfo")), nullptr);
    EXPECT_EQ(x.first(ns("albumInfo"))->attrs.at("musicBrainzId"), "mb-disintegration");
}

TEST(SubsonicInfo, SimilarSongsComeFromTheArtistAndItsSimilarArtists) {
    auto& s = browse_server();
    for (const char* method : {"getSimilarSongs", "getSimilarSongs2"}) {
        std::string element =
            std::string(method) == "getSimilarSongs" ? "similarSongs" : "similarSongs2";
        Json r = s.json(method, as_alice() + Query{{"id", "ar-1"}});
        ASSERT_EQ(r["status"], "ok") << r.dump();
        std::set<std::string> ids;
        for (const auto& song : r[element]["song"]) {
            ids.insert(song["id"].get<std::string>());
            EXPECT_EQ(song["isDir"], false);
        }
        // The Cure's own songs, Adele's (0.9) and the Narrator's (0.5); nobody else's.
        EXPECT_EQ(ids, (std::set<std::string>{"tr-1", "tr-2", "tr-3", "tr-4", "tr-5"}));
        // A song's id: its artist's radio without the song itself; count bounds the list.
        Json two = s.json(method, as_alice() + Query{{"id", "tr-1"}, {"count", "2"}});
        ASSERT_EQ(two[element]["song"].size(), 2u) << two.dump();
        for (const auto& song : two[element]["song"])
            EXPECT_NE(song["id"], "tr-1");
        EXPECT_EQ(code(s.json(method, as_alice() + Query{{"id", "tr-999"}})), 70);
        EXPECT_EQ(code(s.json(method, as_alice())), 10);
    }
    Json none = s.json("getSimilarSongs2", as_alice() + Query{{"id", "ar-1"}, {"count", "0"}});
    EXPECT_EQ(none["similarSongs2"]["song"], Json::array());
    XmlNode x = s.xml("getSimilarSongs2", as_alice() + Query{{"id", "al-2"}});
    ASSERT_NE(x.first(ns("similarSongs2")), nullptr);
    EXPECT_FALSE(x.first(ns("similarSongs2"))->all(ns("song")).empty());
    XmlNode x1 = s.xml("getSimilarSongs", as_alice() + Query{{"id", "ar-2"}});
    ASSERT_NE(x1.first(ns("similarSongs")), nullptr);
    auto songs = x1.first(ns("similarSongs"))->all(ns("song"));
    ASSERT_FALSE(songs.empty());
    EXPECT_EQ(songs[0]->attrs.at("isDir"), "false");
}

TEST(SubsonicInfo, SyncedLyricsBySongId) {
    auto& s = browse_server();
    Json r = s.json("getLyricsBySongId", as_alice() + Query{{"id", "tr-1"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    Json expected = Json::parse(R"({"structuredLyrics": [{
        "displayArtist": "The Cure", "displayTitle": "Plainsong", "lang": "xxx", "synced": true,
        "offset": 250, "line": [{"start": 1000, "value": "Plainsong"},
        {"start": 10500, "value": "Sometimes"}, {"start": 20500, "value": "Plainsong"}]}]})");
    EXPECT_EQ(r["lyricsList"], expected);
    XmlNode x = s.xml("getLyricsBySongId", as_alice() + Query{{"id", "tr-1"}});
    const XmlNode* list = x.first(ns("lyricsList"));
    ASSERT_NE(list, nullptr);
    const XmlNode* sl = list->first(ns("structuredLyrics"));
    ASSERT_NE(sl, nullptr);
    EXPECT_EQ(sl->attrs.at("synced"), "true");
    EXPECT_EQ(sl->attrs.at("offset"), "250");
    ASSERT_EQ(sl->all(ns("line")).size(), 3u);
    EXPECT_EQ(sl->all(ns("line"))[1]->attrs.at("start"), "10500");
    EXPECT_EQ(sl->all(ns("line"))[1]->text, "Sometimes");
}

TEST(SubsonicInfo, UnsyncedAndMissingLyrics) {
    auto& s = browse_server();
    Json r = s.json("getLyricsBySongId", as_alice() + Query{{"id", "tr-2"}});
    const Json& sl = r["lyricsList"]["structuredLyrics"][0];
    EXPECT_EQ(sl["synced"], false);
    EXPECT_EQ(sl["line"], Json::parse(R"([{"value": "I've been looking so long"}, {"value": ""},
                                          {"value": "at these pictures of you"}])"));
    // No lyrics: an empty list; no such song: 70.
    EXPECT_EQ(s.json("getLyricsBySongId", as_alice() + Query{{"id", "tr-3"}})["lyricsList"],
              Json({{"structuredLyrics", Json::array()}}));
    EXPECT_EQ(code(s.json("getLyricsBySongId", as_alice() + Query{{"id", "tr-999"}})), 70);
    EXPECT_EQ(code(s.json("getLyricsBySongId", as_alice() + Query{{"id", "al-1"}})), 70);
}

TEST(SubsonicInfo, LyricsByArtistAndTitle) {
    auto& s = browse_server();
    Json r =
        s.json("getLyrics", as_alice() + Query{{"artist", "the cure"}, {"title", "PLAINSONG"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    EXPECT_EQ(r["lyrics"], Json({{"artist", "The Cure"},
                                 {"title", "Plainsong"},
                                 {"value", "Plainsong\nSometimes\nPlainsong"}}));
    Json none =
        s.json("getLyrics", as_alice() + Query{{"artist", "Adele"}, {"title", "Plainsong"}});
    EXPECT_EQ(none["lyrics"], Json({{"artist", "Adele"}, {"title", "Plainsong"}, {"value", ""}}));
    XmlNode x = s.xml("getLyrics", as_alice() + Query{{"title", "Pictures of You"}});
    ASSERT_NE(x.first(ns("lyrics")), nullptr);
    EXPECT_EQ(x.first(ns("lyrics"))->attrs.at("artist"), "The Cure");
    EXPECT_EQ(x.first(ns("lyrics"))->text, "I've been looking so long\n\nat these pictures of you");
}

}  // namespace
}  // namespace sonique::test
