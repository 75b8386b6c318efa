#pragma once
// The library's real folders in the OpenSubsonic shapes (getIndexes, getMusicDirectory), as JSON
// built by PostgreSQL in one statement per answer from the tracks' paths: a folder exists while
// a track lies below it. Folder ids are "fo-<music folder>-<path below the root, base64url>":
// they stay stable across rescans and name the folder without a table of folders.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json_text.hpp"
#include "services/context.hpp"

namespace sonique::services {

// A library root as a music folder: its number (1, 2, ... in MUSIC_PATH's order), its path and
// its name (the last component).
struct FolderRoot {
    int64_t number = 0;
    std::string path;
    std::string name;
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down.
class SubsonicFolders {
  public:
    // `user`: whose stars, ratings and plays the songs carry (0: nobody).
    explicit SubsonicFolders(ServiceContext& ctx, int64_t user = 0) : ctx_(ctx), user_(user) {}

    // Indexes: the first-level folders of the roots, indexed like getArtists (leading articles
    // ignored), "child": the songs right in a root, "lastModified" in ms since 1970 (the newest
    // track change or finished scan). The caller applies ifModifiedSince (the answer is cached
    // whole).
    JsonText indexes(const std::vector<FolderRoot>& roots);
    // Directory of the folder `rel` below the root (no leading or trailing '/', "" for the root
    // itself): its subfolders (isDir) by name, then its songs by file name. nullopt when no track
    // lies below it (the root itself always exists).
    std::optional<JsonText> directory(const FolderRoot& root, const std::string& rel);

  private:
    ServiceContext& ctx_;
    int64_t user_;
};

// The id of the folder `rel` below root number `root` ("fo-1-" for the root itself).
std::string folder_id(int64_t root, const std::string& rel);
// The inverse: the root number and the relative path; nullopt for anything else (another kind,
// bad base64url, a non-canonical encoding, empty, "." or ".." components, a NUL byte).
struct FolderRef {
    int64_t root = 0;
    std::string rel;
};
std::optional<FolderRef> parse_folder_id(std::string_view id);

}  // namespace sonique::services
