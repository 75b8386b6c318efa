// The app's wiring of the SystemUpdateID (ContentOptions::system_update_id_is_library): a
// Browse of a container that keeps no update id (a genre's artist and its albums, folders), a
// track's metadata and a Search read the library's counter in their page's statement, and
// answer what GetSystemUpdateID (services::library_update_id) answers, before and after it
// moves. The containers that keep one still answer theirs.
#include <gtest/gtest.h>

#include "db/pool.hpp"
#include "dlna_fixture.hpp"
#include "services/library_update_id.hpp"

namespace sonique::test {
namespace {

class DlnaUpdateIdInPage : public DlnaSuite<true> {};

std::string update_id_of(DlnaWorld& w, const std::string& id, const std::string& flag) {
    auto a = w.call("ContentDirectory", "Browse",
                    {{"ObjectID", id},
                     {"BrowseFlag", flag},
                     {"Filter", "*"},
                     {"StartingIndex", "0"},
                     {"RequestedCount", "0"},
                     {"SortCriteria", ""}});
    EXPECT_EQ(a.fault_code(), 0) << id << ": " << a.body.substr(0, 300);
    return a.out("UpdateID");
}

TEST_F(DlnaUpdateIdInPage, PagesWithoutAnIdOfTheirOwnAnswerTheLibrarysCounter) {
    auto& services = world_->server().runtime().services();
    auto genre = world_->children_all("m/ge", 5).at(0).id;
    auto artist = world_->children_all(genre, 5).at(0).id;
    auto album = world_->children_all(artist, 5).at(0).id;
    auto track = world_->children_all(album, 5).at(0).id;
    auto root = world_->children_all("m/fo", 5).at(0).id;
    auto folder = world_->children_all(root, 5).at(0).id;
    for (int round = 0; round < 2; ++round) {
        std::string sys = std::to_string(services::library_update_id(services));
        EXPECT_EQ(world_->call("ContentDirectory", "GetSystemUpdateID", {}).out("Id"), sys);
        for (const auto& id : {artist, album, root, folder})
            EXPECT_EQ(update_id_of(*world_, id, "BrowseDirectChildren"), sys) << id;
        EXPECT_EQ(update_id_of(*world_, track, "BrowseMetadata"), sys) << track;
        auto s = world_->call("ContentDirectory", "Search",
                              {{"ContainerID", "0"},
                               {"SearchCriteria", "*"},
                               {"Filter", "*"},
                               {"StartingIndex", "0"},
                               {"RequestedCount", "1"},
                               {"SortCriteria", ""}});
        EXPECT_EQ(s.out("UpdateID"), sys);
        // Kept ids stay the container's own (a genre keeps one; its artists do not).
        for (const auto& id : {genre, std::string("m/al"), std::string("m/all")})
            EXPECT_EQ(update_id_of(*world_, id, "BrowseDirectChildren"),
                      world_->expected_update_id(id, "BrowseDirectChildren"))
                << id;
        // The counter moves (as a change to the library moves it): the answers follow.
        services.pool.acquire()->exec(
            "SELECT nextval('sonique_library_update_id'), nextval('sonique_library_update_id')");
    }
}

}  // namespace
}  // namespace sonique::test
