#pragma once
// The music folders of a call: the library roots (MUSIC_PATH, numbered from 1 in its order) that
// its user may see, and the scope an answer covers once a request's musicFolderId narrows them
// (docs/subsonic.md, "Music folders").
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "methods.hpp"
#include "services/subsonic_scope.hpp"

namespace sonique::subsonic {

struct MusicFolder {
    int64_t id = 0;    // 1, 2, ... in MUSIC_PATH's order
    std::string root;  // the root's path
    std::string name;  // its last component
};

// Every root as a music folder. Any thread.
std::vector<MusicFolder> all_folders(const Config& config);
// The folders the call's user may see, in MUSIC_PATH's order. Throws sonique::Error when the
// database is down. Any thread.
std::vector<MusicFolder> user_folders(const Call& call, MethodEnv& env);
// The folders visible with these stored roots (UserFolders::roots; nullopt: every root).
std::vector<MusicFolder> visible_folders(const Config& config,
                                         const std::optional<std::vector<std::string>>& stored);
// The user's folders as a scope: every root (no condition) for a user without restriction.
services::FolderScope user_scope(const Call& call, MethodEnv& env);
// user_scope narrowed by the musicFolderId parameters (repeatable: their union). Throws
// SubsonicError 0 for a value that is not an integer, 70 for no such folder, 50 for a folder
// the user may not see.
services::FolderScope request_scope(const Call& call, MethodEnv& env);
// The roots of musicFolderId parameters for createUser/updateUser (nullopt when none is given).
// Throws as request_scope does for a bad or unknown folder.
std::optional<std::vector<std::string>> folder_roots_param(const Call& call, const Config& config);

}  // namespace sonique::subsonic
