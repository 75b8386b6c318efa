#include "catalog_support.hpp"

#include <regex>

#include "db/connection.hpp"

namespace sonique::test {

const std::initializer_list<const char*> kArtistKeys = {
    "id", "name", "musicbrainz_artistid", "date_added", "date_modified", "covers"};
const std::initializer_list<const char*> kAlbumKeys = {
    "id",         "title",         "album_artist_id", "release_year", "musicbrainz_albumid",
    "date_added", "date_modified", "covers"};
const std::initializer_list<const char*> kTrackKeys = {"id",
                                                       "title",
                                                       "path",
                                                       "track_artist_id",
                                                       "album_id",
                                                       "duration",
                                                       "track_number",
                                                       "disc_number",
                                                       "year",
                                                       "genre",
                                                       "file_type",
                                                       "bitrate",
                                                       "featured_artists",
                                                       "bpm",
                                                       "key",
                                                       "scale",
                                                       "danceability",
                                                       "mood_happy",
                                                       "mood_aggressive",
                                                       "mood_party",
                                                       "mood_relaxed",
                                                       "instrumental",
                                                       "acoustic",
                                                       "tonal",
                                                       "camelot_key",
                                                       "genre_main",
                                                       "genre_tags",
                                                       "mood_tags",
                                                       "musicbrainz_id",
                                                       "musicbrainz_albumid",
                                                       "musicbrainz_artistid",
                                                       "musicbrainz_albumartistid",
                                                       "acoustid_fingerprint",
                                                       "file_mtime",
                                                       "file_size",
                                                       "loudness",
                                                       "replaygain_track_gain",
                                                       "replaygain_track_peak",
                                                       "replaygain_album_gain",
                                                       "replaygain_album_peak",
                                                       "date_added",
                                                       "date_modified",
                                                       "covers",
                                                       "artists"};
const std::initializer_list<const char*> kCoverKeys = {
    "id",        "entity_type", "entity_id",     "url",
    "mime_type", "date_added",  "date_modified", "cover_data"};

Reply call(httplib::Client& c, const std::string& method, const std::string& path,
           const std::string& body, const httplib::Headers& headers) {
    httplib::Result res{nullptr, httplib::Error::Unknown};
    if (method == "GET")
        res = c.Get(path.c_str(), headers);
    else if (method == "DELETE")
        res = c.Delete(path.c_str(), headers);
    else if (method == "POST")
        res = c.Post(path.c_str(), headers, body, "application/json");
    else if (method == "PUT")
        res = c.Put(path.c_str(), headers, body, "application/json");
    Reply r;
    if (!res) {
        ADD_FAILURE() << method << " " << path << ": no answer";
        return r;
    }
    r.status = res->status;
    r.body = res->body;
    r.headers = res->headers;
    r.json = Json::parse(res->body, nullptr, false);
    if (r.json.is_discarded()) r.json = nullptr;
    return r;
}

int64_t make_artist(httplib::Client& c, const std::string& name) {
    auto r = post(c, "/api/artists/", {{"name", name}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.value("id", int64_t{0});
}

int64_t make_album(httplib::Client& c, const std::string& title, int64_t artist_id,
                   const Json& extra) {
    Json body = extra;
    body["title"] = title;
    body["album_artist_id"] = artist_id;
    auto r = post(c, "/api/albums/", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json.value("id", int64_t{0});
}

int64_t make_track(httplib::Client& c, const std::string& title, const std::string& path,
                   int64_t artist_id, const Json& extra) {
    Json body = extra;
    body["title"] = title;
    body["path"] = path;
    body["track_artist_id"] = artist_id;
    auto r = post(c, "/api/tracks/", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json.value("id", int64_t{0});
}

void expect_keys(const Json& object, std::initializer_list<const char*> keys) {
    ASSERT_TRUE(object.is_object()) << object.dump();
    for (const char* k : keys)
        EXPECT_TRUE(object.contains(k)) << "missing " << k;
    EXPECT_EQ(object.size(), keys.size()) << object.dump();
}

bool is_iso_timestamp(const Json& value) {
    static const std::regex re(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$)");
    return value.is_string() && std::regex_match(value.get<std::string>(), re);
}

void insert_cover(const std::string& db_url, const std::string& type, int64_t id) {
    db::Connection conn({db_url});
    conn.exec(
        "INSERT INTO covers (entity_type, entity_id, mime_type) VALUES ($1, $2, 'image/webp')",
        db::Params(type, id));
}

}  // namespace sonique::test
