// Folder images (settings album_cover_files and artist_image_files) are found whatever the case
// of their names (Folder.jpg, COVER.JPG, Artist.jpg), in the settings' order of preference.
#include "scan_fixture.hpp"
#include "support/images.hpp"

namespace sonique::test {
namespace {

class FolderImages : public ScanFixture {
  protected:
    void album(const std::string& name) {
        file("Band/" + name + "/1.mp3",
             "title=T " + name + "\nartist=Band\nalbumartist=Band\nalbum=" + name);
    }
    // The width of the image stored as the cover of an entity, 0 for none.
    int64_t cover_width(const std::string& type, const std::string& name) {
        return count(
            "SELECT coalesce(max(i.width), 0) FROM covers c JOIN cover_images i ON i.id = "
            "c.image_id WHERE c.entity_type = $1 AND c.entity_id IN (SELECT id FROM albums WHERE "
            "$1 = 'album' AND title = $2 UNION ALL SELECT id FROM artists WHERE $1 = 'artist' "
            "AND name = $2)",
            db::Params(type, name));
    }
};

TEST_F(FolderImages, NamesMatchWhateverTheirCase) {
    album("First");
    file("Band/First/Folder.JPG", png_bytes(40, 30));
    album("Second");
    file("Band/Second/folder.jpg", png_bytes(60, 30));
    file("Band/Second/COVER.Jpg", png_bytes(50, 30));  // cover.jpg comes first in the setting
    album("Third");
    file("Band/Third/cover.jpg", png_bytes(80, 30));  // an exact match wins over
    file("Band/Third/Cover.jpg", png_bytes(90, 30));  // names that differ only in case
    file("Band/Artist.jpg", png_bytes(70, 30));
    scan();
    EXPECT_EQ(cover_width("album", "First"), 40);
    EXPECT_EQ(cover_width("album", "Second"), 50);
    EXPECT_EQ(cover_width("album", "Third"), 80);
    EXPECT_EQ(cover_width("artist", "Band"), 70);
}

}  // namespace
}  // namespace sonique::test
