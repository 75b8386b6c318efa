#include <gtest/gtest.h>

#include "server/router.hpp"

namespace sonique::server {
namespace {

Router sample() {
    Router r;
    r.add("GET", "/api/artists/", [](Context&) {});
    r.add("GET", "/api/artists/{id}", [](Context&) {});
    r.add("GET", "/api/artists/count", [](Context&) {});
    r.add("DELETE", "/api/artists/{id}", [](Context&) {});
    r.add("GET", "/api/tracks/artists/{artist_id}/albums/{album_id}", [](Context&) {});
    return r;
}

TEST(Router, LiteralSegmentsBeatParameters) {
    Router r = sample();
    Match m = r.match("GET", "/api/artists/count");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.route->path, "/api/artists/count");
    m = r.match("GET", "/api/artists/12");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.params, (std::vector<std::pair<std::string, std::string>>{{"id", "12"}}));
}

TEST(Router, TrailingSlashIsOptional) {
    Router r = sample();
    EXPECT_TRUE(r.match("GET", "/api/artists").route);
    EXPECT_TRUE(r.match("GET", "/api/artists/").route);
    EXPECT_TRUE(r.match("GET", "/api/artists/count/").route);
}

TEST(Router, HeadUsesGetAndWrongMethodIsKnownPath) {
    Router r = sample();
    EXPECT_TRUE(r.match("HEAD", "/api/artists/3").route);
    Match m = r.match("POST", "/api/artists/3");
    EXPECT_FALSE(m.route);
    EXPECT_TRUE(m.path_known);
    EXPECT_FALSE(r.match("GET", "/api/nothing").path_known);
    EXPECT_EQ(r.methods_for("/api/artists/3"), (std::vector<std::string>{"GET", "DELETE"}));
}

TEST(Router, SeveralParametersAndNoSlashInParameters) {
    Router r = sample();
    Match m = r.match("GET", "/api/tracks/artists/1/albums/2");
    ASSERT_TRUE(m.route);
    EXPECT_EQ(m.params.size(), 2u);
    EXPECT_EQ(m.params[1].second, "2");
    EXPECT_FALSE(r.match("GET", "/api/artists/1/2").route);
}

}  // namespace
}  // namespace sonique::server
