// Cover images that no cover refers to any more (album deleted, cover replaced) are deleted at
// the end of a scan; an image still shown elsewhere stays; a cover writer inside its
// transaction holds the cleanup off until a later scan.

#include "scan_fixture.hpp"
#include "support/images.hpp"

namespace sonique::test {
namespace {
namespace fs = std::filesystem;

class UnusedCovers : public ScanFixture {
  protected:
    // An album folder with one track and a folder cover of the given width.
    void album(const std::string& name, int cover_width, const std::string& extra = "") {
        file(name + "/1.mp3", "title=T " + name + "\nartist=A " + name + "\nalbumartist=A " + name +
                                  "\nalbum=" + name + extra);
        file(name + "/cover.jpg", png_bytes(cover_width, 30));
    }
    // Widths of the stored cover images, smallest first.
    std::vector<int> images() {
        auto r = conn_->exec("SELECT width FROM cover_images ORDER BY width");
        std::vector<int> out;
        for (int i = 0; i < r.rows(); ++i)
            out.push_back(static_cast<int>(r.int64(i, 0)));
        return out;
    }
};

TEST_F(UnusedCovers, DeletedAndReplacedCoversLeaveNoImageBehind) {
    album("One", 40);
    album("Two", 50);
    album("Three", 40);  // the same picture as One: stored once
    scan();
    EXPECT_EQ(count("SELECT count(*) FROM covers WHERE entity_type = 'album'"), 3);
    EXPECT_EQ(images(), (std::vector<int>{40, 50}));

    // One gets a new cover (its track changed too, so it is read again); 40 is still Three's.
    album("One", 60, "\ncomment=new");
    scan();
    EXPECT_EQ(images(), (std::vector<int>{40, 50, 60}));

    // Two's folder goes: album, cover and image go with it.
    fs::remove_all(root_ / "Two");
    EXPECT_EQ(scan().removed, 1);
    EXPECT_EQ(images(), (std::vector<int>{40, 60}));

    // Three's cover is replaced: nothing shows 40 any more.
    album("Three", 70, "\ncomment=new");
    scan();
    EXPECT_EQ(images(), (std::vector<int>{60, 70}));
    EXPECT_EQ(count("SELECT count(*) FROM covers WHERE image_id IS NULL"), 0);
}

TEST_F(UnusedCovers, CleanupWaitsForCoverWritersInTheirTransaction) {
    album("Solo", 45);
    album("Duo", 55);
    scan();
    db::Connection writer(db::ConnectOptions{db_->url(), 0, 3});
    writer.exec_script("BEGIN");
    writer.exec("SELECT sonique_lock_cover_images()");
    fs::remove_all(root_ / "Duo");
    EXPECT_EQ(scan().removed, 1);
    EXPECT_EQ(images(), (std::vector<int>{45, 55})) << "removed under a writer's feet";
    writer.exec_script("COMMIT");
    scan();  // nothing changed on disk: the cleanup still runs
    EXPECT_EQ(images(), (std::vector<int>{45}));
}

}  // namespace
}  // namespace sonique::test
