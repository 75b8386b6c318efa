// BatchWriter: albums of tracks without an album artist tag are grouped by folder and title,
// so that a compilation without tags saying so is still one album (under "Various Artists").
#include <filesystem>

#include "batch_writer.hpp"
#include "core/strings.hpp"
#include "various_artists.hpp"

namespace sonique::scanner {

namespace {

// An album with this title that already holds a track directly in this folder.
constexpr const char* kFolderAlbumSql = R"SQL(
SELECT al.id, al.album_artist_id FROM albums al JOIN tracks t ON t.album_id = al.id
WHERE lower(al.title) = lower($1) AND starts_with(t.path, $2)
  AND position('/' in substr(t.path, length($2) + 1)) = 0
ORDER BY al.id LIMIT 1)SQL";

}  // namespace

namespace {

std::string folder_of(const TrackInfo& t) {
    return std::filesystem::path(t.file.path).parent_path().string() + "/";
}

}  // namespace

std::string BatchWriter::folder_key(const TrackInfo& t) {
    return folder_of(t) + '\n' + to_lower(*t.album);
}

bool BatchWriter::held_elsewhere(int64_t album_id, const std::string& dir, const std::string& key) {
    for (const auto& [k, fa] : folder_albums_)
        if (k != key && fa.album_id == album_id) return true;  // another folder of this scan
    return !conn_
                .exec_custom(
                    "SELECT 1 FROM tracks WHERE album_id = $1 AND NOT (starts_with(path, $2) "
                    "AND position('/' in substr(path, length($2) + 1)) = 0) LIMIT 1",
                    db::Params(album_id, dir))
                .empty();
}

void BatchWriter::resolve_by_folder(const TrackInfo& t, Resolved& r) {
    std::string dir = folder_of(t);
    std::string key = folder_key(t);
    auto it = folder_albums_.find(key);
    if (it == folder_albums_.end()) {
        db::Result found;
        if (known_dir_(dir)) found = conn_.exec_custom(kFolderAlbumSql, db::Params(*t.album, dir));
        if (found.empty()) {
            r.album_id = entities_.album(r.album_artist_id, t, false);
            folder_albums_[key] = {*r.album_id, r.album_artist_id};
            return;
        }
        it = folder_albums_.emplace(key, FolderAlbum{found.int64(0, 0), found.int64(0, 1)}).first;
    }
    int64_t various = entities_.artist(kVariousArtists, std::nullopt, std::nullopt);
    FolderAlbum& fa = it->second;
    if (fa.artist_id != r.album_artist_id && fa.artist_id != various) {
        int64_t own = fa.album_id;
        if (held_elsewhere(fa.album_id, dir, key)) own = entities_.album(various, t, true);
        if (own != fa.album_id) {
            // The folder's tracks written by earlier batches follow; this batch's are re-pointed
            // by resolve() from folder_albums_.
            conn_.exec(
                "UPDATE tracks SET album_id = $2, date_modified = now() WHERE album_id = $1 AND "
                "starts_with(path, $3) AND position('/' in substr(path, length($3) + 1)) = 0",
                db::Params(fa.album_id, own, dir));
            touched_albums_.insert(fa.album_id);
            fa.album_id = own;
        } else {
            conn_.exec(
                "UPDATE albums SET album_artist_id = $2, is_compilation = true, "
                "date_modified = now() WHERE id = $1",
                db::Params(fa.album_id, various));
            entities_.forget_album(fa.artist_id, t);  // (artist, title) no longer names it
            touched_artists_.insert(fa.artist_id);
        }
        fa.artist_id = various;
    }
    r.album_id = fa.album_id;
    r.album_artist_id = fa.artist_id;
}

}  // namespace sonique::scanner
