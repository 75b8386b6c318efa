// getGenres, getArtists, getArtist, getAlbum and getSong over a small catalog written straight
// into the database.
#include <gtest/gtest.h>

#include "db/pool.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

// Through the server's own pool: a connection already open (a new one can take seconds while
// every suite runs at once).
void fill_catalog(SubsonicServer& s) {
    static bool done = false;
    if (done) return;
    auto conn = s.server().runtime().services().pool.acquire();
    conn->exec_script(
        "INSERT INTO artists (id, name) VALUES (9001, 'Subsonic Artist');"
        "INSERT INTO albums (id, title, album_artist_id) VALUES (9001, 'One', 9001), "
        "(9002, 'Two', 9001);"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
        "(9001, 'a', '/srv/music/Rock/a.flac', 9001, 9001), "
        "(9002, 'b', '/srv/music/Rock/b.flac', 9001, 9001), "
        "(9003, 'c', '/srv/music/Rock/c.flac', 9001, 9002);"
        "INSERT INTO genres (id, name) VALUES (9001, 'rock'), (9002, 'Jazz'), (9003, 'Empty');"
        "INSERT INTO track_genres (track_id, genre_id) VALUES (9001, 9001), (9002, 9001), "
        "(9003, 9001), (9003, 9002);"
        // The Beatles index under B; a track artist without albums is not an album artist.
        "INSERT INTO artists (id, name) VALUES (9002, 'The Beatles'), (9003, 'Guest'), "
        "(9004, '2Pac');"
        "INSERT INTO albums (id, title, album_artist_id, release_year) VALUES "
        "(9003, 'Abbey Road', 9002, '1969'), (9004, 'Me Against', 9004, NULL);"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id, duration, track_number, "
        "disc_number, year, file_size, bitrate, sample_rate, channels, bit_depth, isrc, "
        "replaygain_track_gain) VALUES "
        "(9004, 'Something', '/srv/music/Rock/ar/02 Something.FLAC', 9002, 9003, 182, '2', '1', "
        "'1969-09-26', 1000, 900, 44100, 2, 16, 'GBAYE0601696', -7.5), "
        "(9005, 'Come Together', '/srv/music/Rock/ar/01 Come.mp3', 9002, 9003, 259, '1/17', "
        "'1', '1969', 2000, 320, 44100, 2, NULL, NULL, NULL);"
        "INSERT INTO track_artists (track_id, artist_id, position) VALUES (9004, 9002, 0), "
        "(9004, 9003, 1);");
    done = true;
}

TEST(SubsonicBrowse, GenresWithTheirSongAndAlbumCounts) {
    auto& s = shared_server();
    fill_catalog(s);
    Json r = s.json("getGenres", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    Json expected = Json::parse(R"([
        {"songCount":0,"albumCount":0,"value":"Empty"},
        {"songCount":1,"albumCount":1,"value":"Jazz"},
        {"songCount":3,"albumCount":2,"value":"rock"}])");
    EXPECT_EQ(r["genres"]["genre"], expected);
    XmlNode x = s.xml("getGenres", as_alice());
    auto genres = x.first(ns("genres"))->all(ns("genre"));
    ASSERT_EQ(genres.size(), 3u);
    EXPECT_EQ(genres[2]->text, "rock");
    EXPECT_EQ(genres[2]->attrs.at("songCount"), "3");
    EXPECT_EQ(genres[2]->attrs.at("albumCount"), "2");
    EXPECT_EQ(s.json("getGenres", {{"u", kUserName}})["error"]["code"], 10);
}

int code(const Json& r) {
    return r.contains("error") ? r["error"]["code"].get<int>() : -1;
}

TEST(SubsonicBrowse, ArtistsAreIndexedWithoutTheirArticle) {
    auto& s = shared_server();
    fill_catalog(s);
    Json r = s.json("getArtists", as_alice());
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& a = r["artists"];
    EXPECT_EQ(a["ignoredArticles"], "The El La Los Las Le Les");
    Json names = Json::array();
    for (const auto& index : a["index"]) {
        ASSERT_TRUE(index["artist"].is_array());
        for (const auto& artist : index["artist"])
            names.push_back(index["name"].get<std::string>() + ":" +
                            artist["name"].get<std::string>() + ":" +
                            artist["id"].get<std::string>() + ":" +
                            std::to_string(artist["albumCount"].get<int>()));
    }
    EXPECT_EQ(names, Json::parse(R"(["B:The Beatles:ar-9002:1",
        "S:Subsonic Artist:ar-9001:2", "#:2Pac:ar-9004:1"])"));
    XmlNode x = s.xml("getArtists", as_alice());
    auto indexes = x.first(ns("artists"))->all(ns("index"));
    ASSERT_EQ(indexes.size(), 3u);
    EXPECT_EQ(indexes[0]->attrs.at("name"), "B");
    EXPECT_EQ(indexes[0]->first(ns("artist"))->attrs.at("id"), "ar-9002");
}

TEST(SubsonicBrowse, ArtistWithItsAlbums) {
    auto& s = shared_server();
    fill_catalog(s);
    Json r = s.json("getArtist", as_alice() + Query{{"id", "ar-9001"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& a = r["artist"];
    EXPECT_EQ(a["id"], "ar-9001");
    EXPECT_EQ(a["albumCount"], 2);
    ASSERT_EQ(a["album"].size(), 2u);
    EXPECT_EQ(a["album"][0]["id"], "al-9001");
    EXPECT_EQ(a["album"][0]["songCount"], 2);
    EXPECT_EQ(a["album"][0]["duration"], 0);
    EXPECT_TRUE(a["album"][0]["created"].is_string());
    EXPECT_EQ(a["album"][0]["artistId"], "ar-9001");
    EXPECT_EQ(code(s.json("getArtist", as_alice() + Query{{"id", "al-9001"}})), 70);
    EXPECT_EQ(code(s.json("getArtist", as_alice() + Query{{"id", "ar-1"}})), 70);
    EXPECT_EQ(code(s.json("getArtist", as_alice())), 10);
}

TEST(SubsonicBrowse, AlbumWithItsSongsInOrder) {
    auto& s = shared_server();
    fill_catalog(s);
    Json r = s.json("getAlbum", as_alice() + Query{{"id", "al-9003"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& al = r["album"];
    EXPECT_EQ(al["name"], "Abbey Road");
    EXPECT_EQ(al["year"], 1969);
    EXPECT_EQ(al["songCount"], 2);
    EXPECT_EQ(al["duration"], 441);
    EXPECT_EQ(al["artist"], "The Beatles");
    EXPECT_EQ(al["isCompilation"], false);
    EXPECT_EQ(al["artists"], Json::parse(R"([{"id":"ar-9002","name":"The Beatles"}])"));
    ASSERT_EQ(al["song"].size(), 2u);
    EXPECT_EQ(al["song"][0]["title"], "Come Together");
    EXPECT_EQ(al["song"][0]["track"], 1);
    EXPECT_EQ(al["song"][0]["contentType"], "audio/mpeg");
    EXPECT_EQ(al["song"][1]["title"], "Something");
    XmlNode x = s.xml("getAlbum", as_alice() + Query{{"id", "al-9003"}});
    auto songs = x.first(ns("album"))->all(ns("song"));
    ASSERT_EQ(songs.size(), 2u);
    EXPECT_EQ(songs[1]->attrs.at("id"), "tr-9004");
    EXPECT_EQ(songs[1]->attrs.at("contentType"), "audio/flac");
    EXPECT_EQ(code(s.json("getAlbum", as_alice() + Query{{"id", "tr-9004"}})), 70);
    EXPECT_EQ(code(s.json("getAlbum", as_alice() + Query{{"id", "al-05"}})), 70);
}

TEST(SubsonicBrowse, SongWithTheOpenSubsonicFields) {
    auto& s = shared_server();
    fill_catalog(s);
    Json r = s.json("getSong", as_alice() + Query{{"id", "tr-9004"}});
    ASSERT_EQ(r["status"], "ok") << r.dump();
    const Json& t = r["song"];
    EXPECT_EQ(t["id"], "tr-9004");
    EXPECT_EQ(t["parent"], "al-9003");
    EXPECT_EQ(t["albumId"], "al-9003");
    EXPECT_EQ(t["artistId"], "ar-9002");
    EXPECT_EQ(t["isDir"], false);
    EXPECT_EQ(t["title"], "Something");
    EXPECT_EQ(t["album"], "Abbey Road");
    EXPECT_EQ(t["track"], 2);
    EXPECT_EQ(t["discNumber"], 1);
    EXPECT_EQ(t["year"], 1969);
    EXPECT_EQ(t["duration"], 182);
    EXPECT_EQ(t["size"], 1000);
    EXPECT_EQ(t["bitRate"], 900);
    EXPECT_EQ(t["samplingRate"], 44100);
    EXPECT_EQ(t["channelCount"], 2);
    EXPECT_EQ(t["bitDepth"], 16);
    EXPECT_EQ(t["suffix"], "flac");
    EXPECT_EQ(t["contentType"], "audio/flac");
    EXPECT_EQ(t["type"], "music");
    EXPECT_EQ(t["mediaType"], "song");
    EXPECT_EQ(t["isrc"], Json::parse(R"(["GBAYE0601696"])"));
    EXPECT_EQ(
        t["artists"],
        Json::parse(R"([{"id":"ar-9002","name":"The Beatles"},{"id":"ar-9003","name":"Guest"}])"));
    EXPECT_EQ(t["albumArtists"], Json::parse(R"([{"id":"ar-9002","name":"The Beatles"}])"));
    EXPECT_EQ(t["replayGain"], Json::parse(R"({"trackGain":-7.5})"));
    EXPECT_FALSE(t.contains("path")) << "server paths are not shown";
    XmlNode x = s.xml("getSong", as_alice() + Query{{"id", "tr-9004"}});
    const XmlNode* song = x.first(ns("song"));
    ASSERT_NE(song, nullptr);
    EXPECT_EQ(song->attrs.at("isDir"), "false");
    EXPECT_EQ(song->all(ns("artists")).size(), 2u);
    EXPECT_EQ(song->first(ns("isrc"))->text, "GBAYE0601696");
    EXPECT_EQ(song->first(ns("replayGain"))->attrs.at("trackGain"), "-7.5");
    EXPECT_EQ(code(s.json("getSong", as_alice() + Query{{"id", "9004"}})), 70);
    EXPECT_EQ(code(s.json("getSong", as_alice() + Query{{"id", "tr-1"}})), 70);
}

}  // namespace
}  // namespace sonique::test
