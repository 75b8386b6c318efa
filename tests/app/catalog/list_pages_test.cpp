// The paged lists of /api/tracks, /api/artists and /api/albums: every page is the slice of the
// whole list at its offset, and each element is the full shape GET /{id} answers (covers, tags,
// artists, analysed values). The list routes page their ids first and shape only the page's rows
// (services/impl/tracks.cpp): a join that lost a field or an offset applied twice shows here.

#include "catalog_support.hpp"
#include "db/connection.hpp"

namespace sonique::test {
namespace {

class ListPages : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_list_pages");
        auto c = server_->client();
        // Names out of id order, so that the name order differs from the id order.
        for (const char* name : {"delta", "Alpha", "charlie", "Bravo", "echo"})
            artists_.push_back(make_artist(*c, name));
        for (const char* title : {"zulu", "Kilo", "alpha album", "Mike"})
            albums_.push_back(make_album(*c, title, artists_[albums_.size()]));
        for (int i = 0; i < 7; ++i) {
            Json extra = {{"album_id", albums_[i % albums_.size()]}};
            if (i % 2 == 0) extra["genre_tags"] = {"rock", "tag" + std::to_string(i)};
            if (i % 3 == 0) extra["mood_tags"] = {"calm"};
            if (i == 4) extra["bpm"] = 128.0;
            tracks_.push_back(make_track(*c, "Track " + std::to_string(i),
                                         "/m/pages/" + std::to_string(i) + ".flac",
                                         artists_[i % artists_.size()], extra));
        }
        const std::string& url = server_->database_url();
        insert_cover(url, "track", tracks_[2]);
        insert_cover(url, "track", tracks_[6]);
        insert_cover(url, "artist", artists_[1]);
        insert_cover(url, "album", albums_[3]);
        db::Connection conn({url});
        conn.exec(
            "INSERT INTO analysed_track_values (track_id, bpm, key, scale) VALUES ($1, 99.5, "
            "'A', 'minor')",
            db::Params(tracks_[5]));
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }

    // The elements of the list at path (a bare array, or the "results" of an object).
    Json list(const std::string& path) {
        auto r = get(*c_, path);
        EXPECT_EQ(r.status, 200) << path << ": " << r.body;
        return r.json.is_object() ? r.json["results"] : r.json;
    }
    // Pages of two concatenated, each element checked against GET {base}{id}.
    void expect_pages_match(const std::string& base, size_t total) {
        Json whole = list(base + "?skip=0&limit=100");
        ASSERT_EQ(whole.size(), total);
        Json joined = Json::array();
        for (size_t skip = 0; skip <= total; skip += 2) {
            Json page = list(base + "?skip=" + std::to_string(skip) + "&limit=2");
            EXPECT_EQ(page.size(), std::min<size_t>(2, total - skip)) << "skip " << skip;
            for (const auto& item : page) {
                auto one = get(*c_, base + std::to_string(item["id"].get<int64_t>()));
                EXPECT_EQ(item, one.json) << base << " skip " << skip;
                joined.push_back(item);
            }
        }
        EXPECT_EQ(joined, whole) << base;
    }

    static TestServer* server_;
    static std::vector<int64_t> artists_, albums_, tracks_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* ListPages::server_ = nullptr;
std::vector<int64_t> ListPages::artists_, ListPages::albums_, ListPages::tracks_;

TEST_F(ListPages, TrackPagesAreSlicesOfTheListInIdOrder) {
    expect_pages_match("/api/tracks/", tracks_.size());
    Json whole = list("/api/tracks/?limit=100");
    for (size_t i = 0; i < tracks_.size(); ++i)
        EXPECT_EQ(whole[i]["id"], tracks_[i]);
    EXPECT_EQ(whole[2]["covers"].size(), 1u);
    EXPECT_EQ(whole[4]["genre_tags"], Json({"rock", "tag4"}));
    EXPECT_EQ(whole[3]["mood_tags"], Json({"calm"}));
    EXPECT_EQ(whole[5]["key"], "A");  // the analysed value, none written
    EXPECT_EQ(whole[1]["artists"].size(), 1u);
}

TEST_F(ListPages, SearchPagesAreSlicesOfTheMatchesInOrder) {
    for (const std::string base :
         {"/api/tracks/search?genre_tags=rock&", "/api/artists/search?", "/api/albums/search?"}) {
        Json whole = list(base + "limit=100");
        Json joined = Json::array();
        for (size_t skip = 0; skip < whole.size(); skip += 2)
            for (const auto& item : list(base + "skip=" + std::to_string(skip) + "&limit=2"))
                joined.push_back(item);
        EXPECT_EQ(joined, whole) << base;
    }
    EXPECT_EQ(list("/api/tracks/search?genre_tags=rock&limit=100").size(), 4u);
    Json tagged = list("/api/tracks/search?genre_tags=rock&skip=1&limit=1");
    ASSERT_EQ(tagged.size(), 1u);
    EXPECT_EQ(tagged[0], get(*c_, "/api/tracks/" + std::to_string(tracks_[2])).json);
}

TEST_F(ListPages, ArtistPagesAreSlicesOfTheListInNameOrder) {
    expect_pages_match("/api/artists/", artists_.size());
    Json whole = list("/api/artists/?limit=100");
    std::vector<std::string> names;
    for (const auto& a : whole)
        names.push_back(a["name"].get<std::string>());
    EXPECT_EQ(names, (std::vector<std::string>{"Alpha", "Bravo", "charlie", "delta", "echo"}));
    EXPECT_EQ(whole[0]["covers"].size(), 1u);
    EXPECT_EQ(get(*c_, "/api/artists/?skip=3&limit=1").json["count"], 5);
}

TEST_F(ListPages, AlbumPagesAreSlicesOfTheListInTitleOrder) {
    expect_pages_match("/api/albums/", albums_.size());
    Json whole = list("/api/albums/?limit=100");
    std::vector<std::string> titles;
    for (const auto& a : whole)
        titles.push_back(a["title"].get<std::string>());
    EXPECT_EQ(titles, (std::vector<std::string>{"alpha album", "Kilo", "Mike", "zulu"}));
    EXPECT_EQ(whole[2]["covers"].size(), 1u);
    EXPECT_EQ(get(*c_, "/api/albums/?skip=9&limit=1").json["results"], Json::array());
}

}  // namespace
}  // namespace sonique::test
