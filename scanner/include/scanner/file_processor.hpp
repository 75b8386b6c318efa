#pragma once
// Turns a TagReader's raw outcome into what the writer stores: fallbacks applied, sidecar lyrics
// read, covers found and normalised. Runs where tags are read (a worker process), never touches
// the database.
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "scanner/tag_reader.hpp"

namespace sonique::scanner {

struct CoverRules {
    bool enabled = true;
    std::vector<std::string> album_cover_files{"cover.jpg", "folder.jpg"};
    std::vector<std::string> artist_image_files{"folder.jpg", "fanart.jpg", "artist.jpg",
                                                "artist.png", "folder.png", "fanart.png"};
    std::vector<std::string> roots;  // never take an artist image from a root folder itself
};

// title <- file name, album <- folder name, artists <- album artist <- "Unknown Artist".
void apply_fallbacks(TrackInfo& track);
// The title apply_fallbacks() gives a file without a title tag.
std::string fallback_title(const std::string& path);

class FileProcessor {
  public:
    FileProcessor(TagReader& reader, CoverRules rules);
    // One thread at a time. Never throws for a bad file (the outcome says why).
    ReadOutcome process(const FileEntry& file);

  private:
    std::optional<CoverImage> embedded(const std::string& bytes, ReadOutcome& out);
    // The first of `names` in `dir` that decodes, and its path (what getCoverArt makes larger
    // sizes from).
    struct FolderCover {
        std::optional<CoverImage> image;
        std::string path;
    };
    FolderCover folder_image(const std::string& dir, const std::vector<std::string>& names,
                             ReadOutcome& out);
    void find_covers(TrackInfo& t, ReadOutcome& out);

    TagReader& reader_;
    CoverRules rules_;
    // Small caches: tracks of one album are read one after another by the same worker.
    std::unordered_map<size_t, std::optional<CoverImage>> embedded_cache_;
    std::unordered_map<std::string, FolderCover> folder_cache_;
};

}  // namespace sonique::scanner
