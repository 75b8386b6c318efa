#pragma once
// Which library roots a Subsonic answer covers: the roots a user may see (user_folders.hpp),
// narrowed by a request's musicFolderId. Every catalog statement adds the scope as a condition
// on track paths (a path-prefix test), so an answer stays one statement.
#include <optional>
#include <string>
#include <vector>

namespace sonique::services {

struct FolderScope {
    // nullopt: every root, no condition at all; else the roots' paths (empty: nothing visible).
    std::optional<std::vector<std::string>> roots;

    bool all() const { return !roots.has_value(); }
    // A text that tells scopes apart, for cache keys ("*" for every root).
    std::string key() const;
};

}  // namespace sonique::services
