// GraphQL query answers through the cache (issue 20), over a real server, PostgreSQL and Redis.
// A row changed with plain SQL bumps no cache namespace, so an answer that still shows the old
// row was served from the cache, and one that shows it was not. Covered: hits and misses, ETag
// and 304, invalidation by artist, album, track and cover writes through the API, by a GraphQL
// mutation and by a scan, documents of the same meaning sharing an entry, variables that differ
// never sharing one, what is never cached, and the same answers with Redis down.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "db/connection.hpp"
#include "scanner/demo_library.hpp"
#include "support/images.hpp"
#include "support/test_server.hpp"

namespace sonique::test {
namespace {

const char* kFrontendQuery =
    "query GetArtistDetails($artistId: Int!) { artist(id: $artistId) { id name covers { url } "
    "albums { id title releaseYear covers { url } tracks { id trackNumber title duration } } } }";

// The frontend's query, written differently: whitespace, comments, another operation name,
// another variable name, a fragment, an alias equal to its field's name.
const char* kSameMeaning = R"(
# the artist page, reformatted
query Page(
  $id: Int!   # the artist
) {
  artist(id: $id) {
    id, name: name
    covers { url }
    albums { ...AlbumPart }
  }
}
fragment AlbumPart on Album {
  id title releaseYear covers { url }
  tracks { id trackNumber title duration }
})";

struct Reply {
    int status = 0;
    std::string etag;
    Json json;
};

std::string base64(const std::string& bytes) {
    static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        uint32_t n =
            (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
        for (int s : {18, 12, 6, 0})
            out += k[(n >> s) & 63];
    }
    if (i < bytes.size()) {
        uint32_t n = uint8_t(bytes[i]) << 16;
        if (i + 1 < bytes.size()) n |= uint8_t(bytes[i + 1]) << 8;
        out += k[(n >> 18) & 63];
        out += k[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? k[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

class GraphqlCache : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        root_ = new std::string(std::filesystem::temp_directory_path() /
                                ("sonique-gqlcache-" + unique_suffix()));
        scanner::DemoOptions o;
        o.files = 12;
        scanner::generate_library(*root_ + "/demo", o);
        std::string root = *root_;
        server_ = new TestServer("graphql_cache", [root](Config& c) { c.music_roots = {root}; });
        std::string url = server_->database_url();
        // The same database, Redis on a closed port: every answer from PostgreSQL.
        down_ = new TestServer("graphql_cache_down", [url](Config& c) {
            c.database_url = url;
            c.redis.port = 1;
        });
    }
    static void TearDownTestSuite() {
        delete down_;
        delete server_;
        std::filesystem::remove_all(*root_);
        delete root_;
    }

    // An artist with one album of two tracks; returns the artist's id.
    static int64_t make_artist(const std::string& name) {
        db::Connection c({server_->database_url()});
        int64_t a = c.exec("INSERT INTO artists (name) VALUES ($1) RETURNING id", db::Params(name))
                        .int64(0, 0);
        int64_t al = c.exec(
                          "INSERT INTO albums (title, album_artist_id, release_year) VALUES "
                          "($1, $2, '2001') RETURNING id",
                          db::Params(name + " album", a))
                         .int64(0, 0);
        for (int n : {1, 2})
            c.exec(
                "INSERT INTO tracks (title, path, track_artist_id, album_id, track_number, "
                "duration) VALUES ($1, $2, $3, $4, $5, 100)",
                db::Params("T" + std::to_string(n), "/m/gqlc/" + name + "/" + std::to_string(n), a,
                           al, std::to_string(n)));
        return a;
    }
    // Plain SQL: changes a row without touching the cache.
    static void sql(const std::string& statement, db::Params p = {}) {
        db::Connection c({server_->database_url()});
        c.exec(statement, p);
    }

    static Reply gql(TestServer& s, const std::string& query, const Json& vars = Json::object(),
                     const std::string& if_none_match = "") {
        httplib::Headers h;
        if (!if_none_match.empty()) h.emplace("If-None-Match", if_none_match);
        auto res =
            s.client()->Post("/api/graphql", h, Json{{"query", query}, {"variables", vars}}.dump(),
                             "application/json");
        Reply r;
        EXPECT_TRUE(res);
        if (!res) return r;
        r.status = res->status;
        r.etag = res->get_header_value("ETag");
        if (res->status == 200) r.json = body_json(res);
        return r;
    }
    static Reply page(int64_t artist, TestServer* s = nullptr) {
        return gql(s ? *s : *server_, kFrontendQuery, {{"artistId", artist}});
    }
    static int put(const std::string& path, const Json& body) {
        auto res = server_->client()->Put(path, body.dump(), "application/json");
        EXPECT_TRUE(res);
        return res ? res->status : 0;
    }
    static std::string name(const Reply& r) {
        return r.json["data"]["artist"].value("name", std::string("<none>"));
    }

    inline static TestServer* server_ = nullptr;
    inline static TestServer* down_ = nullptr;
    inline static std::string* root_ = nullptr;
};

TEST_F(GraphqlCache, HitThenMissAfterAnArtistWrite) {
    int64_t a = make_artist("Hit");
    Reply first = page(a);
    ASSERT_EQ(first.status, 200);
    ASSERT_FALSE(first.json.contains("errors")) << first.json;
    EXPECT_FALSE(first.etag.empty());
    sql("UPDATE artists SET name = 'Hit (by SQL)' WHERE id = $1", db::Params(a));
    Reply hit = page(a);
    EXPECT_EQ(hit.json, first.json) << "served from the cache";
    EXPECT_EQ(hit.etag, first.etag);
    EXPECT_EQ(put("/api/artists/" + std::to_string(a), {{"name", "Hit (by API)"}}), 200);
    Reply after = page(a);
    EXPECT_EQ(name(after), "Hit (by API)") << "read-your-writes";
    EXPECT_NE(after.etag, first.etag);
    // An unknown artist is an answer too (null), until an artist is created.
    Reply none = page(99999999);
    EXPECT_TRUE(none.json["data"]["artist"].is_null());
    EXPECT_FALSE(none.etag.empty());
}

TEST_F(GraphqlCache, ETagAnswers304) {
    int64_t a = make_artist("Etag");
    Reply first = page(a);
    Reply again = gql(*server_, kFrontendQuery, {{"artistId", a}}, first.etag);
    EXPECT_EQ(again.status, 304);
    Reply other = gql(*server_, kFrontendQuery, {{"artistId", a}}, "\"0000000000000000\"");
    EXPECT_EQ(other.status, 200);
    EXPECT_EQ(other.json, first.json);
}

TEST_F(GraphqlCache, AlbumWriteInvalidates) {
    int64_t a = make_artist("Album write");
    Reply first = page(a);
    int64_t album = first.json["data"]["artist"]["albums"][0]["id"];
    sql("UPDATE tracks SET title = 'T1 (by SQL)' WHERE album_id = $1 AND track_number = '1'",
        db::Params(album));
    EXPECT_EQ(page(a).json, first.json);
    EXPECT_EQ(put("/api/albums/" + std::to_string(album), {{"title", "Renamed album"}}), 200);
    Reply after = page(a);
    const Json& al = after.json["data"]["artist"]["albums"][0];
    EXPECT_EQ(al["title"], "Renamed album");
    EXPECT_EQ(al["tracks"][0]["title"], "T1 (by SQL)");
}

TEST_F(GraphqlCache, TrackWriteInvalidates) {
    int64_t a = make_artist("Track write");
    Reply first = page(a);
    int64_t track = first.json["data"]["artist"]["albums"][0]["tracks"][1]["id"];
    sql("UPDATE artists SET name = 'Track write (by SQL)' WHERE id = $1", db::Params(a));
    EXPECT_EQ(page(a).json, first.json);
    EXPECT_EQ(put("/api/tracks/" + std::to_string(track), {{"title", "T2 renamed"}}), 200);
    Reply after = page(a);
    EXPECT_EQ(after.json["data"]["artist"]["albums"][0]["tracks"][1]["title"], "T2 renamed");
    EXPECT_EQ(name(after), "Track write (by SQL)");
}

TEST_F(GraphqlCache, CoverWriteInvalidates) {
    int64_t a = make_artist("Cover write");
    Reply first = page(a);
    int64_t album = first.json["data"]["artist"]["albums"][0]["id"];
    EXPECT_EQ(first.json["data"]["artist"]["albums"][0]["covers"], Json::array());
    auto res = server_->client()->Post(
        "/api/covers/",
        Json{
            {"entity_type", "album"}, {"entity_id", album}, {"cover_data", base64(png_bytes(8, 8))}}
            .dump(),
        "application/json");
    ASSERT_TRUE(res);
    ASSERT_LT(res->status, 300) << res->body;
    EXPECT_EQ(page(a).json["data"]["artist"]["albums"][0]["covers"][0]["url"],
              "/covers/album/" + std::to_string(album));
}

TEST_F(GraphqlCache, GraphqlMutationInvalidates) {
    int64_t a = make_artist("Mutation");
    Reply first = page(a);
    sql("UPDATE artists SET name = 'Mutation (by SQL)' WHERE id = $1", db::Params(a));
    EXPECT_EQ(page(a).json, first.json);
    Reply m = gql(*server_, "mutation($d: [AlbumInput!]!) { createAlbums(data: $d) { id } }",
                  {{"d", {{{"title", "Added by a mutation"}, {"albumArtistId", a}}}}});
    ASSERT_FALSE(m.json.contains("errors")) << m.json;
    Reply after = page(a);
    EXPECT_EQ(name(after), "Mutation (by SQL)");
    EXPECT_EQ(after.json["data"]["artist"]["albums"].size(), 2u);
}

TEST_F(GraphqlCache, ScanInvalidates) {
    const std::string q = "{ artists(limit: 1000) { name } }";
    Reply before = gql(*server_, q);
    ASSERT_FALSE(before.json.contains("errors")) << before.json;
    size_t n = before.json["data"]["artists"].size();
    auto res = server_->client()->Post("/api/scan", R"({"directory": "demo"})", "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    std::string task = body_json(res)["task_id"];
    Json status;
    for (int i = 0; i < 600; ++i) {
        status = body_json(server_->client()->Get(("/api/tasks/status/" + task).c_str()));
        if (status["status"] != "running") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_NE(status["status"], "running");
    EXPECT_GT(gql(*server_, q).json["data"]["artists"].size(), n) << "the scan's artists";
}

TEST_F(GraphqlCache, DocumentsOfTheSameMeaningShareAnEntry) {
    int64_t a = make_artist("Same meaning");
    Reply first = page(a);
    sql("UPDATE artists SET name = 'Same meaning (by SQL)' WHERE id = $1", db::Params(a));
    Reply other = gql(*server_, kSameMeaning, {{"id", a}});
    EXPECT_EQ(other.json, first.json) << "the entry of the first document";
    EXPECT_EQ(other.etag, first.etag);
    // Argument order, and variables the operation does not declare.
    const std::string q1 = "{ artists(skip: 0, limit: 3) { id name } }";
    const std::string q2 = "query Q { artists(limit: 3 skip: 0) { id, name } } # same";
    Reply one = gql(*server_, q1);
    sql("UPDATE artists SET name = name || ' (by SQL)' WHERE id = $1",
        db::Params(one.json["data"]["artists"][0]["id"].get<int64_t>()));
    EXPECT_EQ(gql(*server_, q2, {{"unused", 1}}).json, one.json);
}

TEST_F(GraphqlCache, DifferentVariablesNeverShare) {
    int64_t a = make_artist("Variables A");
    int64_t b = make_artist("Variables B");
    EXPECT_EQ(name(page(a)), "Variables A");
    EXPECT_EQ(name(page(b)), "Variables B");
    EXPECT_EQ(name(gql(*server_, kSameMeaning, {{"id", b}})), "Variables B");
    // A default and a given value, and the same value given twice.
    const std::string q = "query($s: Int = 0) { artists(skip: $s, limit: 1) { id } }";
    Json d = gql(*server_, q).json["data"]["artists"];
    Json s1 = gql(*server_, q, {{"s", 1}}).json["data"]["artists"];
    EXPECT_NE(d, s1);
    EXPECT_EQ(gql(*server_, q, {{"s", 0}}).json["data"]["artists"], d);
    EXPECT_EQ(gql(*server_, q, {{"s", 1}}).json["data"]["artists"], s1);
}

TEST_F(GraphqlCache, WhatIsNeverCached) {
    int64_t a = make_artist("Never cached");
    // Introspection beside an ordinary field: executed every time, no ETag.
    const std::string intro =
        "query($a: Int!) { __schema { queryType { name } } artist(id: $a) { name } }";
    Reply first = gql(*server_, intro, {{"a", a}});
    EXPECT_TRUE(first.etag.empty());
    sql("UPDATE artists SET name = 'Never cached (by SQL)' WHERE id = $1", db::Params(a));
    EXPECT_EQ(gql(*server_, intro, {{"a", a}}).json["data"]["artist"]["name"],
              "Never cached (by SQL)");
    // A mutation.
    Reply m = gql(*server_, "mutation { upsertArtist(data: {name: \"Mutated\"}) { id } }");
    EXPECT_FALSE(m.json.contains("errors")) << m.json;
    EXPECT_TRUE(m.etag.empty());
    // Past the limits (more than 100 aliases, a document over 64 KiB): errors, never stored.
    std::string aliases = "{";
    for (int i = 0; i <= 100; ++i)
        aliases += " a" + std::to_string(i) + ": artist(id: 1) { id }";
    for (const std::string& q : {aliases + " }", std::string(65 * 1024, ' ') + "{ __typename }"}) {
        Reply over = gql(*server_, q);
        EXPECT_TRUE(over.json.contains("errors")) << q.size();
        EXPECT_TRUE(over.etag.empty());
    }
    // An answer with errors (a required variable missing) is not stored either.
    Reply missing = gql(*server_, kFrontendQuery);
    EXPECT_TRUE(missing.json.contains("errors"));
    EXPECT_TRUE(missing.etag.empty());
}

TEST_F(GraphqlCache, RedisDownAnswersStayCorrect) {
    int64_t a = make_artist("Redis down");
    Reply first = page(a, down_);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(name(first), "Redis down");
    sql("UPDATE artists SET name = 'Redis down (by SQL)' WHERE id = $1", db::Params(a));
    EXPECT_EQ(name(page(a, down_)), "Redis down (by SQL)") << "nothing is cached";
    auto res =
        down_->client()->Put(("/api/artists/" + std::to_string(a)).c_str(),
                             Json{{"name", "Redis down (by API)"}}.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    Reply after = page(a, down_);
    EXPECT_EQ(name(after), "Redis down (by API)");
    EXPECT_EQ(gql(*down_, kFrontendQuery, {{"artistId", a}}, after.etag).status, 304);
}

}  // namespace
}  // namespace sonique::test
