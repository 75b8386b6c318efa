#pragma once
// "Is this path inside that root?": the one answer for scan requests, root locks, the watcher,
// discovery, the unmounted-root guard and streaming. It is a security boundary (a stream must
// never leave the music roots), so every caller says whether the root itself counts.
#include <filesystem>

namespace sonique {

enum class Containment {
    inclusive,  // the root itself is within the root
    strict,     // only what lies below the root
};

// Whether path lies within root, component by component: "/music2" is not within "/music",
// "/music/a/../../etc" is not within "/music", "/music/" and "/music" are one folder. Purely
// lexical (never touches the file system, so links are not followed): give it resolve_path()'s
// answers when a link could lead out of the root. A relative path is never within an absolute
// root, nor an absolute path within a relative one; a relative path that climbs out with ".."
// is within nothing. Names are compared as bytes (names that are not UTF-8 included). Never
// throws but std::bad_alloc. Any thread.
bool path_within(const std::filesystem::path& path, const std::filesystem::path& root,
                 Containment mode);

// The lexical normal form without a trailing slash ("/music/./a/" -> "/music/a"), so that equal
// folders compare equal as strings. Never touches the file system. Any thread.
std::filesystem::path normal_path(const std::filesystem::path& path);

// The path with every link resolved (as far as it exists: the rest is appended lexically), in
// normal_path() form; the normal form of path itself when it cannot be resolved (a permission
// error on the way, say). Never throws but std::bad_alloc. Any thread.
std::filesystem::path resolve_path(const std::filesystem::path& path);

}  // namespace sonique
