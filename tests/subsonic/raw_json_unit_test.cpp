// write_raw_json: the services' JSON copied into a JSON answer without a tree must say what the
// tree would (null members and elements left out, songs' contentType from their suffix), and
// the XML of a raw child is the tree's.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "json_node.hpp"
#include "raw_json.hpp"
#include "response.hpp"

namespace sonique::subsonic {
namespace {

// A page as PostgreSQL writes it: nulls kept, blanks, escapes, nested objects and arrays.
constexpr const char* kPage = R"json({"song": [{"id": "tr-1", "title": "A \"quoted\" \\ title",
 "suffix": "flac", "year": null, "genres": [{"name": "Rock"}, null], "replayGain": {"trackGain":
 null}, "duration": 12.5, "isDir": false}, {"id": "tr-2", "suffix": "mp3", "contentType":
 "audio/x-own"}, {"id": "tr-3", "suffix": "x\u00e9z"}, {"id": "tr-4", "title": null}],
 "album": [{"id": "al-1", "suffix": "flac", "moods": ["calm", null, "dark"]}], "artist": [],
 "child": {"id": "tr-5", "suffix": "OGG"}})json";

Envelope env() {
    return Envelope{true, "test"};
}

TEST(RawJson, NullsAreLeftOutAndSongsGetTheirContentType) {
    std::string out;
    write_raw_json(out, kPage, true);
    Json got = parse_json(out);
    const Json& songs = got["song"];
    ASSERT_EQ(songs.size(), 4u);
    EXPECT_EQ(songs[0]["title"], "A \"quoted\" \\ title");
    EXPECT_FALSE(songs[0].contains("year"));
    EXPECT_EQ(songs[0]["genres"], Json::parse(R"([{"name": "Rock"}])"));
    EXPECT_EQ(songs[0]["replayGain"], Json::object());
    EXPECT_EQ(songs[0]["duration"], 12.5);
    EXPECT_EQ(songs[0]["contentType"], "audio/flac");
    EXPECT_EQ(songs[1]["contentType"], "audio/x-own") << "a song's own type is kept";
    EXPECT_EQ(songs[2]["contentType"], "application/octet-stream");
    EXPECT_EQ(songs[3], Json::parse(R"({"id": "tr-4"})")) << "no suffix: no type";
    EXPECT_FALSE(got["album"][0].contains("contentType")) << "albums are no songs";
    EXPECT_EQ(got["album"][0]["moods"], Json::parse(R"(["calm", "dark"])"));
    EXPECT_EQ(got["artist"], Json::array());
    EXPECT_EQ(got["child"]["contentType"], "audio/ogg");
    std::string plain;
    write_raw_json(plain, kPage, false);
    EXPECT_FALSE(parse_json(plain)["song"][0].contains("contentType"));
}

// The same page as a raw child and as a tree (add_json_child) gives the same JSON document
// and the same XML.
TEST(RawJson, ARawChildIsWrittenAsTheTreeWouldBe) {
    Node raw, tree;
    fill_content_types(add_raw_json_child(raw, "searchResult3", kPage));
    fill_content_types(add_json_child(tree, "searchResult3", kPage));
    EXPECT_EQ(parse_json(write_json(raw, env())), parse_json(write_json(tree, env())));
    EXPECT_EQ(write_xml(raw, env()), write_xml(tree, env()));
}

TEST(RawJson, InvalidJsonIsAnInternalError) {
    for (const char* bad : {"{\"a\": ", "{\"a\" 1}", "[1, 2", "{\"a\": \"open}", ""}) {
        std::string out;
        EXPECT_THROW(write_raw_json(out, bad, true), Error) << bad;
    }
}

}  // namespace
}  // namespace sonique::subsonic
