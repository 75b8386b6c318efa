// The Genres branch's statements (listing.cpp): a genre's artist lists the albums of that
// artist that have a track of the genre, read through the artist's tracks and track_genres'
// primary key; an artist outside the genre is no object. Compared with what Artists and the
// tracks' own genre say, so that the rewrite of the statement answers what the join did.
#include <gtest/gtest.h>

#include <set>

#include "dlna_fixture.hpp"

namespace sonique::test {
namespace {

class DlnaGenreBranch : public DlnaSuite<> {};

std::string last_part(const std::string& id) {
    return id.substr(id.rfind('/') + 1);
}

TEST_F(DlnaGenreBranch, GenreArtistListsItsAlbumsWithATrackOfTheGenre) {
    auto genres = world_->children_all("m/ge", 5);
    ASSERT_GE(genres.size(), 3u);
    int pairs = 0;
    for (const auto& g : genres) {
        for (const auto& a : world_->children_all(g.id, 5)) {
            std::set<std::string> expected;  // the artist's albums (Artists) with a track of g
            for (const auto& al : world_->children_all("m/ar/" + last_part(a.id), 5))
                for (const auto& t : world_->children_all(al.id, 5)) {
                    auto genre = t.props.find("upnp:genre");
                    if (genre != t.props.end() && genre->second == g.title)
                        expected.insert(last_part(al.id));
                }
            std::set<std::string> got;
            for (const auto& al : world_->children_all(a.id, 1)) {
                EXPECT_TRUE(got.insert(last_part(al.id)).second) << al.id;
                for (const auto& t : world_->children_all(al.id, 5))
                    EXPECT_EQ(t.props.find("upnp:genre")->second, g.title) << t.id;
            }
            EXPECT_FALSE(expected.empty()) << a.id;
            EXPECT_EQ(got, expected) << a.id;
            ++pairs;
        }
    }
    EXPECT_GE(pairs, 3);
}

TEST_F(DlnaGenreBranch, ArtistOutsideTheGenreIsNoObject) {
    auto genres = world_->children_all("m/ge", 5);
    ASSERT_GE(genres.size(), 2u);
    auto first = world_->children_all(genres[0].id, 5);
    auto second = world_->children_all(genres[1].id, 5);
    ASSERT_FALSE(first.empty());
    std::set<std::string> in_second;
    for (const auto& a : second)
        in_second.insert(last_part(a.id));
    const std::string artist = last_part(first[0].id);
    ASSERT_FALSE(in_second.count(artist)) << "the fixture's genres share no artist";
    for (const char* flag : {"BrowseDirectChildren", "BrowseMetadata"}) {
        auto a = world_->call("ContentDirectory", "Browse",
                              {{"ObjectID", genres[1].id + "/" + artist},
                               {"BrowseFlag", flag},
                               {"Filter", "*"},
                               {"StartingIndex", "0"},
                               {"RequestedCount", "0"},
                               {"SortCriteria", ""}});
        EXPECT_EQ(a.fault_code(), 701) << flag << ": " << a.body.substr(0, 300);
    }
}

}  // namespace
}  // namespace sonique::test
