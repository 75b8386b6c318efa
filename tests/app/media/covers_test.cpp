// /api/covers against a real server: image bytes, placeholder, upsert, dedup, hostile input.
#include <gtest/gtest.h>
#include <webp/decode.h>

#include "media_support.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

class CoversApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("covers");
        auto conn = connect(server_->database_url());
        artist_ = insert_artist(conn, "Cover Artist");
        album_ = insert_album(conn, "Cover Album", artist_);
    }
    static void TearDownTestSuite() { delete server_; }
    static httplib::Result post_cover(const Json& body) {
        return server_->client()->Post("/api/covers/", body.dump(), "application/json");
    }
    static TestServer* server_;
    static int64_t artist_, album_;
};
TestServer* CoversApi::server_ = nullptr;
int64_t CoversApi::artist_ = 0;
int64_t CoversApi::album_ = 0;

std::pair<int, int> webp_size(const std::string& bytes) {
    int w = 0, h = 0;
    WebPGetInfo(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), &w, &h);
    return {w, h};
}

TEST_F(CoversApi, NoImageGivesThePlaceholder) {
    auto res = server_->client()->Get("/api/covers/artist/987654");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "image/webp");
    EXPECT_EQ(webp_size(res->body), std::make_pair(256, 256));
    EXPECT_FALSE(res->get_header_value("ETag").empty());
}

TEST_F(CoversApi, UnknownEntityTypeIs422) {
    auto c = server_->client();
    for (const char* path : {"/api/covers/playlist/1", "/api/covers/%2E%2E/1",
                             "/api/covers/%FF%FE/1", "/api/covers/artist/abc"}) {
        auto res = c->Get(path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->status, 422) << path;
        EXPECT_TRUE(body_json(res)["detail"].is_array()) << path;
    }
}

TEST_F(CoversApi, EncodedSlashesNeverReachTheHandler) {
    // httplib decodes %2F before routing: the path then has more segments and matches nothing.
    auto res = server_->client()->Get("/api/covers/..%2F..%2Fetc/1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
}

TEST_F(CoversApi, PostStoresNormalisedWebpAndServesItWithValidators) {
    auto res = post_cover({{"entity_type", "album"},
                           {"entity_id", album_},
                           {"cover_data", "data:image/png;base64," + base64(png_bytes(600, 300))},
                           {"mime_type", "image/png"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    Json cover = body_json(res);
    EXPECT_EQ(cover["entity_type"], "album");
    EXPECT_EQ(cover["entity_id"], album_);
    EXPECT_EQ(cover["url"], "/covers/album/" + std::to_string(album_));
    EXPECT_EQ(cover["mime_type"], "image/webp");
    EXPECT_TRUE(cover["cover_data"].is_null());
    EXPECT_TRUE(cover["date_added"].is_string());

    auto c = server_->client();
    auto img = c->Get("/api/covers/album/" + std::to_string(album_));
    ASSERT_TRUE(img);
    EXPECT_EQ(img->status, 200);
    EXPECT_EQ(img->get_header_value("Content-Type"), "image/webp");
    EXPECT_EQ(img->get_header_value("Cache-Control"), "public, max-age=86400");
    EXPECT_EQ(webp_size(img->body), std::make_pair(256, 128));
    const std::string etag = img->get_header_value("ETag");
    EXPECT_EQ(etag.size(), 66u);  // quoted SHA-256
    auto again =
        c->Get("/api/covers/album/" + std::to_string(album_) + "/", {{"If-None-Match", etag}});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 304);
    EXPECT_TRUE(again->body.empty());
    EXPECT_NE(etag, c->Get("/api/covers/artist/987654")->get_header_value("ETag"));
}

TEST_F(CoversApi, PutUpsertsOneCoverPerEntityAndImagesAreDeduplicated) {
    auto c = server_->client();
    const std::string path = "/api/covers/artist/" + std::to_string(artist_);
    Json body = {{"cover_data", base64(png_bytes(40, 30))}};
    auto first = c->Put(path, body.dump(), "application/json");
    ASSERT_TRUE(first);
    ASSERT_EQ(first->status, 200) << first->body;
    auto second = c->Put(path, body.dump(), "application/json");
    ASSERT_TRUE(second);
    EXPECT_EQ(body_json(second)["id"], body_json(first)["id"]);
    auto conn = connect(server_->database_url());
    auto r = conn.exec(
        "SELECT count(*), count(DISTINCT image_id) FROM covers WHERE entity_type = 'artist'"
        " AND entity_id = $1",
        db::Params(artist_));
    EXPECT_EQ(r.int64(0, 0), 1);
    // Same picture on another entity: stored once.
    int64_t other = insert_artist(conn, "Same Picture Artist");
    auto third =
        c->Put("/api/covers/artist/" + std::to_string(other), body.dump(), "application/json");
    ASSERT_EQ(third->status, 200);
    auto images = conn.exec(
        "SELECT count(DISTINCT image_id) FROM covers WHERE entity_type = 'artist'"
        " AND entity_id IN ($1, $2)",
        db::Params(artist_, other));
    EXPECT_EQ(images.int64(0, 0), 1);
    auto img = c->Get(path);
    EXPECT_EQ(webp_size(img->body), std::make_pair(40, 30));
}

TEST_F(CoversApi, ReplacingACoverChangesTheServedImage) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "Replaced Cover Artist");
    const std::string path = "/api/covers/artist/" + std::to_string(artist);
    auto before = c->Get(path);  // placeholder, now cached
    ASSERT_EQ(before->status, 200);
    Json body = {{"cover_data", base64(png_bytes(20, 10))}};
    ASSERT_EQ(c->Put(path, body.dump(), "application/json")->status, 200);
    auto after = c->Get(path);
    EXPECT_NE(after->get_header_value("ETag"), before->get_header_value("ETag"));
    EXPECT_EQ(webp_size(after->body), std::make_pair(20, 10));
}

TEST_F(CoversApi, ReplacedOrDeletedCoversLeaveNoUnusedImage) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t a = insert_artist(conn, "Image Owner A");
    int64_t b = insert_artist(conn, "Image Owner B");
    auto path = [](int64_t artist) { return "/api/covers/artist/" + std::to_string(artist); };
    auto put = [&](int64_t artist, int width) {
        Json body = {{"cover_data", base64(png_bytes(width, 21))}};
        return c->Put(path(artist), body.dump(), "application/json")->status;
    };
    auto image_of = [&](int64_t artist) {
        return conn
            .exec("SELECT image_id FROM covers WHERE entity_type = 'artist' AND entity_id = $1",
                  db::Params(artist))
            .int64(0, 0);
    };
    auto stored = [&](int64_t image) {
        return conn.exec("SELECT count(*) FROM cover_images WHERE id = $1", db::Params(image))
                   .int64(0, 0) == 1;
    };
    ASSERT_EQ(put(a, 33), 200);
    ASSERT_EQ(put(b, 33), 200);
    int64_t shared = image_of(a);
    ASSERT_EQ(image_of(b), shared);
    ASSERT_EQ(put(a, 34), 200);
    EXPECT_TRUE(stored(shared)) << "still B's cover";
    int64_t replaced = image_of(a);
    ASSERT_EQ(put(a, 35), 200);
    EXPECT_FALSE(stored(replaced)) << "nothing shows it any more";
    ASSERT_EQ(c->Delete(path(b))->status, 200);
    EXPECT_FALSE(stored(shared));
    EXPECT_TRUE(stored(image_of(a)));
}

TEST_F(CoversApi, GarbageImagesAre400NeverServerErrors) {
    const std::vector<std::string> payloads = {"!!!not base64!!!",
                                               base64("definitely not an image"),
                                               "data:image/png;base64,@@@@",
                                               "data:image/png,notbase64flag",
                                               base64(png_bytes(50, 50).substr(0, 60)),
                                               "QUJD=extra",
                                               ""};
    for (const auto& data : payloads) {
        auto res =
            post_cover({{"entity_type", "album"}, {"entity_id", album_}, {"cover_data", data}});
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 400) << data;
        EXPECT_TRUE(body_json(res)["detail"].is_string());
    }
}

TEST_F(CoversApi, WrongShapesAre422) {
    auto c = server_->client();
    const std::vector<std::string> bodies = {
        "not json",
        "[1,2]",
        R"({"entity_type":"album","cover_data":"QQ=="})",
        R"({"entity_type":"album","entity_id":"x","cover_data":"QQ=="})",
        R"({"entity_type":"band","entity_id":1,"cover_data":"QQ=="})",
        R"({"entity_type":"album","entity_id":1,"cover_data":5})",
        R"({"entity_type":"album","entity_id":1})",
        "{\"entity_type\":\"\xff\"}"};
    for (const auto& body : bodies) {
        auto res = c->Post("/api/covers", body, "application/json");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << body;
    }
    auto put = c->Put("/api/covers/band/1", R"({"cover_data":"QQ=="})", "application/json");
    EXPECT_EQ(put->status, 422);
}

TEST_F(CoversApi, EntityIdsAreReadLikeEveryOtherBodysIntegers) {
    auto c = server_->client();
    const std::string data = base64(png_bytes(8, 8));
    for (const Json& id : {Json(std::to_string(album_)), Json(static_cast<double>(album_))}) {
        auto res = post_cover({{"entity_type", "album"}, {"entity_id", id}, {"cover_data", data}});
        ASSERT_TRUE(res);
        ASSERT_EQ(res->status, 200) << id << " -> " << res->body;
        EXPECT_EQ(body_json(res)["entity_id"], album_);
    }
    const std::vector<std::pair<Json, std::string>> bad = {
        {"x", "int_parsing"}, {1.5, "int_from_float"}, {Json::array(), "int_type"}};
    for (const auto& [id, type] : bad) {
        auto res = post_cover({{"entity_type", "album"}, {"entity_id", id}, {"cover_data", data}});
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 422) << id;
        Json issue = body_json(res)["detail"][0];
        EXPECT_EQ(issue["loc"], Json({"body", "entity_id"})) << id;
        EXPECT_EQ(issue["type"], type) << id;
    }
    // Every problem of the body in one answer, as for the other resources.
    auto res = post_cover({{"entity_type", "band"}, {"entity_id", "x"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 422);
    EXPECT_EQ(body_json(res)["detail"].size(), 3u) << res->body;
}

TEST_F(CoversApi, UnknownEntityIs404) {
    auto res = post_cover({{"entity_type", "track"},
                           {"entity_id", 99999999},
                           {"cover_data", base64(png_bytes(8, 8))}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
}

TEST_F(CoversApi, ListFiltersByTypeAndNeverInlinesBytes) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "Listed Artist");
    ASSERT_EQ(c->Put("/api/covers/artist/" + std::to_string(artist),
                     Json{{"cover_data", base64(png_bytes(9, 9))}}.dump(), "application/json")
                  ->status,
              200);
    Json all = body_json(c->Get("/api/covers/"));
    ASSERT_TRUE(all.is_array());
    bool found = false;
    for (const auto& cover : all) {
        EXPECT_TRUE(cover["cover_data"].is_null());
        found = found || (cover["entity_type"] == "artist" && cover["entity_id"] == artist);
    }
    EXPECT_TRUE(found);
    for (const auto& cover : body_json(c->Get("/api/covers?entity_type=album")))
        EXPECT_EQ(cover["entity_type"], "album");
    EXPECT_EQ(c->Get("/api/covers?entity_type=nope")->status, 422);
    // An empty value is no filter, as when the parameter is absent.
    for (const char* path : {"/api/covers?entity_type=", "/api/covers/?entity_type="}) {
        auto empty = c->Get(path);
        ASSERT_TRUE(empty);
        EXPECT_EQ(empty->status, 200) << path << " -> " << empty->body;
        EXPECT_EQ(body_json(empty), all) << path;
    }
}

TEST_F(CoversApi, DeleteAnswersSuccessThen404) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "Deleted Cover Artist");
    const std::string path = "/api/covers/artist/" + std::to_string(artist);
    ASSERT_EQ(c->Put(path, Json{{"cover_data", base64(png_bytes(7, 7))}}.dump(), "application/json")
                  ->status,
              200);
    auto del = c->Delete(path);
    ASSERT_TRUE(del);
    EXPECT_EQ(del->status, 200);
    EXPECT_EQ(body_json(del), Json({{"status", "success"}}));
    auto again = c->Delete(path);
    EXPECT_EQ(again->status, 404);
    EXPECT_EQ(body_json(again)["detail"], "Cover non trouvée");
    EXPECT_EQ(c->Delete("/api/covers/band/1")->status, 422);
    // The image answer falls back to the placeholder.
    EXPECT_EQ(webp_size(c->Get(path)->body), std::make_pair(256, 256));
}

TEST_F(CoversApi, DeletingTheEntityRemovesItsCover) {
    auto c = server_->client();
    auto conn = connect(server_->database_url());
    int64_t artist = insert_artist(conn, "Doomed Artist");
    const std::string path = "/api/covers/artist/" + std::to_string(artist);
    ASSERT_EQ(c->Put(path, Json{{"cover_data", base64(png_bytes(6, 6))}}.dump(), "application/json")
                  ->status,
              200);
    conn.exec("DELETE FROM artists WHERE id = $1", db::Params(artist));
    EXPECT_EQ(c->Delete(path)->status, 404);
}

TEST_F(CoversApi, SchemaAndTypes) {
    auto c = server_->client();
    Json schema = body_json(c->Get("/api/covers/schema"));
    ASSERT_TRUE(schema["properties"].is_object());
    EXPECT_TRUE(schema["properties"].contains("cover_data"));
    EXPECT_TRUE(schema["properties"].contains("entity_type"));
    EXPECT_EQ(body_json(c->Get("/api/covers/types")), Json({"track", "album", "artist"}));
}

}  // namespace
}  // namespace sonique::test
