// Track bodies as Pydantic read them (api.md §6): null tag lists mean "not given".
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

}  // namespace
}  // namespace sonique::test
