// getGenres over a small catalog written straight into the database.
#include <gtest/gtest.h>

#include "db/connection.hpp"
#include "subsonic_support.hpp"

namespace sonique::test {
namespace {

void fill_catalog(const std::string& url) {
    db::Connection c({url, 0, 5});
    c.exec_script(
        "INSERT INTO artists (id, name) VALUES (9001, 'Subsonic Artist');"
        "INSERT INTO albums (id, title, album_artist_id) VALUES (9001, 'One', 9001), "
        "(9002, 'Two', 9001);"
        "INSERT INTO tracks (id, title, path, track_artist_id, album_id) VALUES "
        "(9001, 'a', '/srv/music/Rock/a.flac', 9001, 9001), "
        "(9002, 'b', '/srv/music/Rock/b.flac', 9001, 9001), "
        "(9003, 'c', '/srv/music/Rock/c.flac', 9001, 9002);"
        "INSERT INTO genres (id, name) VALUES (9001, 'rock'), (9002, 'Jazz'), (9003, 'Empty');"
        "INSERT INTO track_genres (track_id, genre_id) VALUES (9001, 9001), (9002, 9001), "
        "(9003, 9001), (9003, 9002);");
}

TEST(SubsonicBrowse, GenresWithTheirSongAndAlbumCounts) {
    auto& s = shared_server();
    fill_catalog(s.server().database_url());
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

}  // namespace
}  // namespace sonique::test
