// The statements that walk rather than read (catalog_folders.cpp, listing.cpp): a folder's
// children found by a skip scan of the path index (one probe a child: from a track to the next
// path, from a subfolder past all of it), and each genre's artist count from one grouped pass.
// The folder cases are paths that sort between a subfolder's own paths and the bound the walk
// jumps to ("A-b.mp3" before "A/", "A0.mp3" at the bound "A0" itself, a subfolder "A0" right
// after "A"), so that a wrong bound shows as a child lost or listed twice.
#include <gtest/gtest.h>

#include <set>

#include "db/pool.hpp"
#include "dlna_fixture.hpp"
#include "services/subsonic_folders.hpp"

namespace sonique::test {
namespace {

class DlnaWalk : public DlnaSuite<true> {};

// Track rows under root()/Zed with these relative paths (no files: a Browse reads rows only).
void add_paths(DlnaWorld& w, const std::vector<std::string>& rels) {
    auto conn = w.server().runtime().services().pool.acquire();
    for (const auto& rel : rels) {
        std::string path = (w.root() / "Zed" / rel).string();
        auto name = rel.substr(rel.rfind('/') == std::string::npos ? 0 : rel.rfind('/') + 1);
        conn->exec(
            "INSERT INTO tracks (title, path, track_artist_id, file_type) SELECT $1, $2, min(id), "
            "'mp3' FROM artists",
            db::Params(name, path));
    }
}

std::string folder(const std::string& rel) {
    return "m/fo/" + services::folder_id(1, rel);
}

TEST_F(DlnaWalk, FolderChildrenAroundTheSkipBounds) {
    add_paths(*world_, {"A.mp3", "A/x.mp3", "A/y/z.mp3", "A/y/zz.mp3", "A-b.mp3", "A0.mp3",
                        "A0/w.mp3", "Bee/q.mp3", "Bee/r.mp3", "Été/s.mp3", "Z.mp3"});
    int total = 0;
    auto all = world_->browse(folder("Zed"), "BrowseDirectChildren", 0, 0, "", &total);
    EXPECT_EQ(total, 8);
    ASSERT_EQ(all.size(), 8u);
    std::vector<std::string> folders;
    std::set<std::string> tracks;
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].container) {
            EXPECT_EQ(tracks.size(), 0u) << "subfolders come first: " << all[i].title;
            folders.push_back(all[i].title);
            EXPECT_EQ(all[i].id, folder("Zed/" + all[i].title));
        } else {
            EXPECT_TRUE(tracks.insert(all[i].title).second) << all[i].title;
        }
    }
    EXPECT_EQ(folders, (std::vector<std::string>{"A", "A0", "Bee", "Été"}));
    EXPECT_EQ(tracks, (std::set<std::string>{"A.mp3", "A-b.mp3", "A0.mp3", "Z.mp3"}));
    // One at a time: the same children in the same order, the same total on every page.
    for (int i = 0; i < 9; ++i) {
        auto one = world_->browse(folder("Zed"), "BrowseDirectChildren", i, 1, "", &total);
        EXPECT_EQ(total, 8);
        if (i == 8) {
            EXPECT_TRUE(one.empty());
            continue;
        }
        ASSERT_EQ(one.size(), 1u) << i;
        EXPECT_EQ(one[0].id, all[static_cast<size_t>(i)].id);
    }
    auto a = world_->browse(folder("Zed/A"), "BrowseDirectChildren", 0, 0, "", &total);
    ASSERT_EQ(a.size(), 2u);
    EXPECT_TRUE(a[0].container);
    EXPECT_EQ(a[0].title, "y");
    EXPECT_EQ(a[1].title, "x.mp3");
    EXPECT_EQ(world_->children_all(folder("Zed/A/y"), 1).size(), 2u);
    EXPECT_EQ(world_->children_all(folder("Zed/A0"), 1).size(), 1u);
    auto meta = world_->browse(folder("Zed"), "BrowseMetadata");
    ASSERT_EQ(meta.size(), 1u);
    EXPECT_EQ(meta[0].child_count, "8");
    // The library root lists Zed beside the scanned artists' folders, once.
    auto root = world_->children_all(world_->children_all("m/fo", 5).at(0).id, 1);
    std::multiset<std::string> names;
    for (const auto& o : root)
        names.insert(o.title);
    EXPECT_EQ(names, (std::multiset<std::string>{"Ada Drums", "Ben Keys", "Cleo & Co", "Zed"}));
}

// A genre's childCount is the number of artists its Browse lists.
TEST_F(DlnaWalk, GenresCountTheArtistsTheyList) {
    auto genres = world_->children_all("m/ge", 5);
    ASSERT_GE(genres.size(), 3u);
    for (const auto& g : genres) {
        auto artists = world_->children_all(g.id, 1);
        EXPECT_FALSE(artists.empty()) << g.title;
        EXPECT_EQ(g.child_count, std::to_string(artists.size())) << g.title;
        auto meta = world_->browse(g.id, "BrowseMetadata");
        ASSERT_EQ(meta.size(), 1u);
        EXPECT_EQ(meta[0].child_count, g.child_count) << g.title;
    }
}

}  // namespace
}  // namespace sonique::test
