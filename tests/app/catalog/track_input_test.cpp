// Track bodies as Pydantic read them (api-contract.md §6): null tag lists mean "not given"; the
// Track shape's audio fields are input fields too, stored in the track's audio features.
#include "catalog_support.hpp"

namespace sonique::test {
namespace {

class TrackInput : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("api_track_input");
        artist_ = make_artist(*server_->client(), "Input Owner");
    }
    static void TearDownTestSuite() { delete server_; }
    void SetUp() override { c_ = server_->client(); }
    static TestServer* server_;
    static int64_t artist_;
    std::unique_ptr<httplib::Client> c_;
};
TestServer* TrackInput::server_ = nullptr;
int64_t TrackInput::artist_ = 0;

const Json kNullTags = {{"genre_tags", nullptr}, {"mood_tags", nullptr}};

TEST_F(TrackInput, NullTagListsLeaveTheLinksOfPutAndPutTagsAlone) {
    int64_t id = make_track(*c_, "Nulls", "/m/in/nulls.flac", artist_,
                            {{"genre_tags", {"rock"}}, {"mood_tags", {"calm"}}});
    const std::string path = "/api/tracks/" + std::to_string(id);
    auto tags = put(*c_, path + "/tags", kNullTags);
    ASSERT_EQ(tags.status, 200) << tags.body;
    EXPECT_EQ(tags.json["genre_tags"], Json({"rock"}));
    EXPECT_EQ(tags.json["mood_tags"], Json({"calm"}));
    tags = put(*c_, path + "/tags", {{"genre_tags", nullptr}, {"mood_tags", {"happy"}}});
    ASSERT_EQ(tags.status, 200) << tags.body;
    EXPECT_EQ(tags.json["genre_tags"], Json({"rock"}));
    EXPECT_EQ(tags.json["mood_tags"], Json({"happy"}));

    Json update = kNullTags;
    update["title"] = "Nulls 2";
    auto up = put(*c_, path, update);
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["title"], "Nulls 2");
    EXPECT_EQ(up.json["genre_tags"], Json({"rock"}));
    EXPECT_EQ(up.json["mood_tags"], Json({"happy"}));
    // An empty list still removes every link of its kind; a wrong type is still a 422.
    EXPECT_EQ(put(*c_, path + "/tags", {{"genre_tags", Json::array()}}).json["genre_tags"],
              Json::array());
    auto bad = put(*c_, path + "/tags", {{"mood_tags", "calm"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json["detail"][0]["loc"], Json({"body", "mood_tags"}));
}

TEST_F(TrackInput, NullTagListsLeaveTheLinksOfABatchAlone) {
    int64_t id =
        make_track(*c_, "Batch nulls", "/m/in/batch.flac", artist_,
                   {{"file_mtime", 1.0}, {"genre_tags", {"jazz"}}, {"mood_tags", {"sad"}}});
    Json changed = kNullTags;
    changed.update({{"title", "Batch nulls 2"},
                    {"path", "/m/in/batch.flac"},
                    {"track_artist_id", artist_},
                    {"file_mtime", 2.0}});
    Json fresh = kNullTags;
    fresh.update({{"title", "Fresh"}, {"path", "/m/in/fresh.flac"}, {"track_artist_id", artist_}});
    auto r = post(*c_, "/api/tracks/batch", Json::array({changed, fresh}));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json[0]["id"], id);
    EXPECT_EQ(r.json[0]["title"], "Batch nulls 2");
    EXPECT_EQ(r.json[0]["genre_tags"], Json({"jazz"}));
    EXPECT_EQ(r.json[0]["mood_tags"], Json({"sad"}));
    EXPECT_EQ(r.json[1]["genre_tags"], Json::array());
    EXPECT_EQ(r.json[1]["mood_tags"], Json::array());
}

TEST_F(TrackInput, AudioFieldsOfCreatePutAndBatchAreStored) {
    auto r = post(*c_, "/api/tracks/",
                  {{"title", "Audio"},
                   {"path", "/m/in/audio.flac"},
                   {"track_artist_id", artist_},
                   {"bpm", 120.5},
                   {"key", "C"},
                   {"scale", "major"},
                   {"danceability", 0.7},
                   {"mood_happy", "0.25"},
                   {"camelot_key", "8B"},
                   {"genre_main", "rock"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json["bpm"], 120.5);
    EXPECT_EQ(r.json["key"], "C");
    EXPECT_EQ(r.json["scale"], "major");
    EXPECT_EQ(r.json["danceability"], 0.7);
    EXPECT_EQ(r.json["mood_happy"], 0.25);
    EXPECT_EQ(r.json["camelot_key"], "8B");
    EXPECT_EQ(r.json["genre_main"], "rock");
    EXPECT_TRUE(r.json["mood_party"].is_null());
    const int64_t id = r.json["id"];
    const std::string path = "/api/tracks/" + std::to_string(id);
    auto features = get(*c_, path + "/audio-features");
    ASSERT_EQ(features.status, 200) << features.body;
    EXPECT_EQ(features.json["bpm"], 120.5);

    auto up = put(*c_, path, {{"bpm", 90}, {"key", nullptr}});
    ASSERT_EQ(up.status, 200) << up.body;
    EXPECT_EQ(up.json["bpm"], 90.0);
    EXPECT_TRUE(up.json["key"].is_null());
    EXPECT_EQ(up.json["scale"], "major");  // not given: kept

    auto batch = post(*c_, "/api/tracks/batch",
                      Json::array({{{"title", "Audio"},
                                    {"path", "/m/in/audio.flac"},
                                    {"track_artist_id", artist_},
                                    {"file_mtime", 3.0},
                                    {"mood_party", 0.3}},
                                   {{"title", "Audio 2"},
                                    {"path", "/m/in/audio2.flac"},
                                    {"track_artist_id", artist_},
                                    {"bpm", 100},
                                    {"tonal", 0.9}}}));
    ASSERT_EQ(batch.status, 200) << batch.body;
    EXPECT_EQ(batch.json[0]["id"], id);
    EXPECT_EQ(batch.json[0]["mood_party"], 0.3);
    EXPECT_EQ(batch.json[0]["bpm"], 90.0);
    EXPECT_EQ(batch.json[1]["bpm"], 100.0);
    EXPECT_EQ(batch.json[1]["tonal"], 0.9);
    EXPECT_TRUE(batch.json[1]["key"].is_null());

    auto bad = post(*c_, "/api/tracks/",
                    {{"title", "Bad"},
                     {"path", "/m/in/bad.flac"},
                     {"track_artist_id", artist_},
                     {"bpm", "fast"}});
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.json["detail"][0]["loc"], Json({"body", "bpm"}));
}

}  // namespace
}  // namespace sonique::test
