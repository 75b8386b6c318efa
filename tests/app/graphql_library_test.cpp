// The library schema over a real server and PostgreSQL: the frontend's artist query (golden),
// its SQL round trips, the read queries, the worker mutations and the HTTP envelope.
#include <gtest/gtest.h>

#include "db/connection.hpp"
#include "db/pool.hpp"
#include "services/graphql_library.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

const char* kFrontendQuery =
    "query GetArtistDetails($artistId: Int!) { artist(id: $artistId) { id name covers { url } "
    "albums { id title releaseYear covers { url } tracks { id trackNumber title duration } } } }";

class GraphqlApi : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        server_ = new TestServer("graphql");
        db::Connection c({server_->database_url()});
        auto id = [&](const char* sql, db::Params p) { return c.exec(sql, p).int64(0, 0); };
        artist_ =
            id("INSERT INTO artists (name) VALUES ($1) RETURNING id", db::Params("Fixture Artist"));
        other_ = id("INSERT INTO artists (name) VALUES ($1) RETURNING id", db::Params("Other"));
        c.exec(
            "INSERT INTO covers (entity_type, entity_id, mime_type) VALUES ('artist', $1, "
            "'image/webp')",
            db::Params(artist_));
        const char* album_sql =
            "INSERT INTO albums (title, album_artist_id, release_year) VALUES ($1, $2, $3) "
            "RETURNING id";
        late_ = id(album_sql, db::Params("Zeta", artist_, "2010"));
        early_ = id(album_sql, db::Params("beta", artist_, "1999"));
        early2_ = id(album_sql, db::Params("Alpha", artist_, "1999"));
        id(album_sql, db::Params("Not mine", other_, "2000"));
        c.exec(
            "INSERT INTO covers (entity_type, entity_id, mime_type) VALUES ('album', $1, "
            "'image/webp')",
            db::Params(late_));
        const char* track_sql =
            "INSERT INTO tracks (title, path, track_artist_id, album_id, track_number, "
            "disc_number, duration) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        t10_ = id(track_sql, db::Params("Ten", "/m/z10", artist_, late_, "10", "1", 100));
        t2_ = id(track_sql, db::Params("Two", "/m/z2", artist_, late_, "2/12", "1", 200));
        td2_ = id(track_sql, db::Params("Disc two", "/m/zd2", artist_, late_, "1", "2", 300));
        tb_ = id(track_sql,
                 db::Params("Beta one", "/m/b1", artist_, early_, "1", std::nullopt, std::nullopt));
        c.exec("INSERT INTO audio_features (track_id, bpm, key) VALUES ($1, 120.5, 'C')",
               db::Params(t10_));
        c.exec("INSERT INTO genre_tags (name) VALUES ('rock'), ('jazz')");
        c.exec("INSERT INTO track_genre_tags (track_id, tag_id) SELECT $1, id FROM genre_tags",
               db::Params(t10_));
        c.exec("INSERT INTO genres (name) VALUES ('Rock')");
    }
    static void TearDownTestSuite() { delete server_; }

    static Json post(const std::string& query, const Json& vars = Json::object()) {
        auto res = server_->client()->Post(
            "/api/graphql", Json{{"query", query}, {"variables", vars}}.dump(), "application/json");
        EXPECT_TRUE(res);
        if (!res) return Json();
        EXPECT_EQ(res->status, 200) << res->body;
        return body_json(res);
    }

    static TestServer* server_;
    static int64_t artist_, other_, late_, early_, early2_, t10_, t2_, td2_, tb_;
};
TestServer* GraphqlApi::server_ = nullptr;
int64_t GraphqlApi::artist_, GraphqlApi::other_, GraphqlApi::late_, GraphqlApi::early_,
    GraphqlApi::early2_, GraphqlApi::t10_, GraphqlApi::t2_, GraphqlApi::td2_, GraphqlApi::tb_;

Json cover(const std::string& type, int64_t id) {
    return Json::array({{{"url", "/covers/" + type + "/" + std::to_string(id)}}});
}

TEST_F(GraphqlApi, FrontendQueryGolden) {
    Json r = post(kFrontendQuery, {{"artistId", artist_}});
    ASSERT_FALSE(r.contains("errors")) << r;
    auto track = [](int64_t id, Json no, const char* title, Json duration) {
        return Json{{"id", id}, {"trackNumber", no}, {"title", title}, {"duration", duration}};
    };
    Json expected = {{"id", artist_},
                     {"name", "Fixture Artist"},
                     {"covers", cover("artist", artist_)},
                     {"albums",
                      {{{"id", early2_},
                        {"title", "Alpha"},
                        {"releaseYear", "1999"},
                        {"covers", Json::array()},
                        {"tracks", Json::array()}},
                       {{"id", early_},
                        {"title", "beta"},
                        {"releaseYear", "1999"},
                        {"covers", Json::array()},
                        {"tracks", {track(tb_, "1", "Beta one", nullptr)}}},
                       {{"id", late_},
                        {"title", "Zeta"},
                        {"releaseYear", "2010"},
                        {"covers", cover("album", late_)},
                        {"tracks",
                         {track(t2_, "2/12", "Two", 200), track(t10_, "10", "Ten", 100),
                          track(td2_, "1", "Disc two", 300)}}}}}};
    EXPECT_EQ(r["data"]["artist"], expected);
}

TEST_F(GraphqlApi, UnknownArtistIsNull) {
    Json r = post(kFrontendQuery, {{"artistId", 999999}});
    EXPECT_FALSE(r.contains("errors")) << r;
    ASSERT_TRUE(r["data"].contains("artist"));
    EXPECT_TRUE(r["data"]["artist"].is_null());
}

TEST_F(GraphqlApi, FrontendQueryTakesThreeRoundTripsWhateverTheSize) {
    db::Connection c({server_->database_url()});
    int64_t big = c.exec("INSERT INTO artists (name) VALUES ('Big') RETURNING id").int64(0, 0);
    c.exec(
        "INSERT INTO albums (title, album_artist_id, release_year) SELECT 'A' || g, $1, (1990 + "
        "g)::text "
        "FROM generate_series(1, 10) g",
        db::Params(big));
    c.exec(
        "INSERT INTO tracks (title, path, track_artist_id, album_id, track_number) "
        "SELECT 'T' || n, '/big/' || al.id || '/' || n, $1, al.id, n::text FROM albums al, "
        "generate_series(1, 12) n WHERE al.album_artist_id = $1",
        db::Params(big));
    services::GraphqlService svc(server_->runtime().services());
    for (int64_t id : {artist_, big}) {
        services::GraphqlStats stats;
        Json r = Json::parse(svc.execute({kFrontendQuery, {{"artistId", id}}, ""}, &stats).text);
        ASSERT_FALSE(r.contains("errors")) << r;
        EXPECT_LE(stats.round_trips, 3) << "artist " << id;
        if (id == big) {
            EXPECT_EQ(r["data"]["artist"]["albums"].size(), 10u);
            EXPECT_EQ(r["data"]["artist"]["albums"][9]["tracks"].size(), 12u);
            EXPECT_EQ(r["data"]["artist"]["albums"][9]["tracks"][11]["trackNumber"], "12");
        }
    }
    services::GraphqlStats lists;
    svc.execute(
        {"{ artists(limit: 50) { albums { tracks { id } covers { url } } } }", Json::object(), ""},
        &lists);
    EXPECT_EQ(lists.round_trips, 3);
}

// Queries of artists, albums and tracks by id with their albums, tracks, covers and Int and
// String columns are answered by one SQL statement that PostgreSQL writes as text
// (graphql_one_statement.cpp): the same bytes as the engine's answer. A directive sends the same
// query through the engine.
TEST_F(GraphqlApi, OneStatementAnswersAreTheEnginesBytes) {
    db::Connection c({server_->database_url()});
    int64_t odd = c.exec("INSERT INTO artists (name) VALUES ($1) RETURNING id",
                         db::Params(std::string("Émile \"Q\" \\ /\n\t\x01\x7f ü 🎵")))
                      .int64(0, 0);
    services::GraphqlService svc(server_->runtime().services());
    const std::string all =
        "query($a: Int!, $b: Int!) { __typename x: artist(id: $a) { __typename id name "
        "musicbrainzArtistid dateAdded dateModified covers { __typename id entityType entityId "
        "url mimeType dateAdded dateModified } albums { id title albumArtistId releaseYear "
        "musicbrainzAlbumid dateAdded dateModified covers { url entityId } tracks { id title "
        "path trackArtistId albumId duration trackNumber discNumber year genre fileType bitrate "
        "featuredArtists musicbrainzId acoustidFingerprint dateAdded dateModified covers { url } "
        "} } } album(id: $b) { title tracks { title } } track(id: 1) { title path } }";
    struct Case {
        std::string query;
        Json vars;
        std::string root;  // the first root field, where the directive goes
    };
    const std::string a = std::to_string(artist_);
    std::vector<Case> cases = {
        {kFrontendQuery, {{"artistId", artist_}}, "artist(id: $artistId)"},
        {kFrontendQuery, {{"artistId", odd}}, "artist(id: $artistId)"},
        {kFrontendQuery, {{"artistId", 999999}}, "artist(id: $artistId)"},
        {all, {{"a", artist_}, {"b", late_}}, "x: artist(id: $a)"},
        {all, {{"a", 999999}, {"b", early2_}}, "x: artist(id: $a)"},
        {"query($a: Int = " + a + ") { artist(id: $a) { name } }", Json::object(),
         "artist(id: $a)"},
        {"{ artist(id: " + a +
             ") { ...A } } fragment A on Artist { id albums { ... on Album { "
             "title } } }",
         Json::object(), "artist(id: " + a + ")"}};
    for (const auto& k : cases) {
        services::GraphqlStats one;
        std::string answer = svc.execute({k.query, k.vars, ""}, &one).text;
        std::string q = k.query;
        q.insert(q.find(k.root) + k.root.size(), " @include(if: true)");
        std::string engine = svc.execute({q, k.vars, ""}, nullptr).text;
        EXPECT_EQ(answer, engine) << k.query;
        EXPECT_EQ(one.round_trips, 1) << k.query;
        EXPECT_FALSE(answer.starts_with("{\"errors\"")) << answer;
    }
}

// With every pooled connection taken, the one statement answers what the engine answers (an
// error per root field, null data) after one acquire timeout, not two.
TEST_F(GraphqlApi, OneStatementAnswersTheEnginesErrorWhenThePoolIsExhausted) {
    services::GraphqlService svc(server_->runtime().services());
    auto& pool = server_->runtime().services().pool;
    std::vector<db::Lease> held;
    while (held.size() < static_cast<size_t>(pool.options().size))
        held.push_back(pool.acquire());
    const std::string q =
        "query($a: Int!) { __typename first: artist(id: $a) { name } album(id: 1) { title } }";
    const Json vars = {{"a", artist_}};
    services::GraphqlStats one;
    std::string answer = svc.execute({q, vars, ""}, &one).text;
    std::string engine = svc.execute({"query($a: Int!) { __typename first: artist(id: $a) "
                                      "@include(if: true) { name } album(id: "
                                      "1) { title } }",
                                      vars, ""},
                                     nullptr)
                             .text;
    held.clear();
    EXPECT_EQ(one.round_trips, 1);
    Json a = Json::parse(answer), e = Json::parse(engine);
    EXPECT_EQ(a["data"], e["data"]);
    ASSERT_EQ(a["errors"].size(), 2u) << answer;
    EXPECT_EQ(a["errors"][0]["message"], e["errors"][0]["message"]);
    EXPECT_EQ(a["errors"][0]["path"], e["errors"][0]["path"]);
    EXPECT_EQ(a["errors"][0]["locations"][0]["column"], q.find("first:") + 1);
    EXPECT_EQ(a["errors"][1]["message"], e["errors"][1]["message"]);
    EXPECT_EQ(a["errors"][1]["path"], e["errors"][1]["path"]);
    EXPECT_EQ(a["errors"][1]["locations"][0]["column"], q.find("album(") + 1);
    EXPECT_TRUE(answer.starts_with("{\"errors\":")) << answer;
}

TEST_F(GraphqlApi, ReadQueries) {
    Json r = post(R"(query($a: Int!, $t: Int!) {
        artists(skip: 0, limit: 10) { name }
        album(id: $a) { title albumArtistId tracks { title } covers { entityType entityId url mimeType } }
        albums(limit: 2) { title }
        track(id: $t) { title path bpm key genreTags moodTags albumId covers { id } }
        tracks(where: {albumId: $a}) { id }
        byPath: tracks(where: {filePath: "/m/b1"}) { title }
        genres { name } genreTags { name } moodTags { name } genre(id: 999) { name } })",
                  {{"a", late_}, {"t", t10_}});
    ASSERT_FALSE(r.contains("errors")) << r;
    const Json& d = r["data"];
    EXPECT_EQ(d["artists"][0]["name"], "Big");  // by name
    EXPECT_EQ(d["album"]["tracks"].size(), 3u);
    EXPECT_EQ(d["album"]["covers"][0]["entityType"], "album");
    EXPECT_EQ(d["album"]["covers"][0]["mimeType"], "image/webp");
    EXPECT_EQ(d["albums"].size(), 2u);
    EXPECT_EQ(d["track"]["bpm"], 120.5);
    EXPECT_EQ(d["track"]["key"], "C");
    EXPECT_EQ(d["track"]["genreTags"], Json::parse(R"(["jazz","rock"])"));
    EXPECT_EQ(d["track"]["moodTags"], Json::array());
    EXPECT_EQ(d["tracks"].size(), 3u);
    EXPECT_EQ(d["byPath"][0]["title"], "Beta one");
    EXPECT_EQ(d["genres"][0]["name"], "Rock");
    EXPECT_EQ(d["genreTags"][0]["name"], "jazz");
    EXPECT_TRUE(d["genre"].is_null());
    Json bad = post("{ artists(limit: 0) { id } }");
    EXPECT_EQ(bad["errors"][0]["path"], Json::array({"artists"}));
}

TEST_F(GraphqlApi, ErrorsFollowTheSpecification) {
    Json unknown = post("{\n  artist(id: 1) { nope }\n}");
    EXPECT_FALSE(unknown.contains("data"));
    EXPECT_EQ(unknown["errors"][0]["message"], "Cannot query field \"nope\" on type \"Artist\".");
    EXPECT_EQ(unknown["errors"][0]["locations"][0], Json::parse(R"({"line":2,"column":19})"));
    Json missing = post(kFrontendQuery);
    EXPECT_NE(missing["errors"][0]["message"].get<std::string>().find("$artistId"),
              std::string::npos);
    Json wrong = post(kFrontendQuery, {{"artistId", "abc"}});
    EXPECT_FALSE(wrong.contains("data"));
    auto c = server_->client();
    auto not_json = c->Post("/api/graphql", "{nope", "application/json");
    ASSERT_TRUE(not_json);
    EXPECT_EQ(not_json->status, 400);
    EXPECT_TRUE(body_json(not_json)["errors"].is_array());
    auto no_query = c->Post("/api/graphql", "{\"variables\": {}}", "application/json");
    EXPECT_EQ(no_query->status, 400);
    auto page = c->Get("/api/graphql");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("<textarea"), std::string::npos);
    Json doc = body_json(c->Get("/api/openapi.json"));
    EXPECT_TRUE(doc["paths"]["/api/graphql"].contains("post"));
}

TEST_F(GraphqlApi, Mutations) {
    Json a = post(
        R"(mutation { one: upsertArtist(data: {name: "New Band", tags: ["x"], musicbrainzGenre: "g"}) { id name }
                                two: upsertArtist(data: {name: "new band"}) { id } })");
    ASSERT_FALSE(a.contains("errors")) << a;
    int64_t band = a["data"]["one"]["id"];
    EXPECT_EQ(a["data"]["two"]["id"], band);
    Json al = post(
        "mutation($d: [AlbumInput!]!) { createAlbums(data: $d) { id title releaseYear "
        "albumArtistId } }",
        {{"d",
          {{{"title", "First"},
            {"albumArtistId", band},
            {"releaseYear", "2001-05-03"},
            {"genreTags", {"a"}}},
           {{"title", "first"}, {"albumArtistId", band}}}}});
    ASSERT_FALSE(al.contains("errors")) << al;
    EXPECT_EQ(al["data"]["createAlbums"][0]["releaseYear"], "2001");
    EXPECT_EQ(al["data"]["createAlbums"][1]["id"], al["data"]["createAlbums"][0]["id"]);
    int64_t album = al["data"]["createAlbums"][0]["id"];
    const char* tracks_q =
        "mutation($d: [TrackInput!]!) { createTracks(data: $d) { id title albumId genreTags "
        "moodTags bpm } }";
    Json t = {{"title", "Song"},
              {"path", "/new/song.flac"},
              {"trackArtistId", band},
              {"albumId", album},
              {"fileMtime", 10.5},
              {"fileSize", 1000},
              {"genreTags", {"rock", "indie"}},
              {"moodTags", {"calm"}},
              {"tags", {"x"}},
              {"musicbrainzGenre", "rock"},
              {"bpm", 99.0}};
    Json r1 = post(tracks_q, {{"d", {t}}});
    ASSERT_FALSE(r1.contains("errors")) << r1;
    const Json& created = r1["data"]["createTracks"][0];
    EXPECT_EQ(created["genreTags"], Json::parse(R"(["indie","rock"])"));
    EXPECT_EQ(created["moodTags"], Json::parse(R"(["calm"])"));
    EXPECT_EQ(created["bpm"], 99.0);  // stored in audio features, as by the REST batch
    // Same mtime and size: left as it is (the new title is not applied).
    t["title"] = "Renamed";
    Json r2 = post(tracks_q, {{"d", {t}}});
    EXPECT_EQ(r2["data"]["createTracks"][0]["id"], created["id"]);
    EXPECT_EQ(r2["data"]["createTracks"][0]["title"], "Song");
    t["fileSize"] = 2000;
    Json r3 = post(tracks_q, {{"d", {t}}});
    EXPECT_EQ(r3["data"]["createTracks"][0]["id"], created["id"]);
    EXPECT_EQ(r3["data"]["createTracks"][0]["title"], "Renamed");
    Json bad =
        post(tracks_q, {{"d", {{{"title", "X"}, {"path", "/x"}, {"trackArtistId", 99999999}}}}});
    EXPECT_TRUE(bad["data"].is_null()) << bad;
    EXPECT_NE(bad["errors"][0]["message"], "Internal error");
    EXPECT_EQ(bad["errors"][0]["path"], Json::array({"createTracks"}));
}

}  // namespace
}  // namespace sonique::test
