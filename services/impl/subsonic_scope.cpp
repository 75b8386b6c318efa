// FolderScope as SQL conditions. The roots come from the configuration (MUSIC_PATH), never from
// a client, and are written as escape string literals (quotes and backslashes doubled).
#include <algorithm>

#include "services/subsonic_scope.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// A root as the prefix of the paths below it: "/srv/music/" for "/srv/music" or "/srv/music/".
std::string prefix_of(std::string root) {
    while (root.size() > 1 && root.back() == '/')
        root.pop_back();
    if (root != "/") root += '/';
    return root;
}

// An escape string literal (E'...'): its meaning does not depend on standard_conforming_strings.
// '$' is written as \x24 so that no root path ("/srv/$Users") can look like the "$U" user
// placeholder that with_user replaces after the scope is written in.
std::string literal(const std::string& text) {
    std::string out = "E'";
    for (char c : text) {
        if (c == '$') {
            out += "\\x24";
            continue;
        }
        if (c == '\'' || c == '\\') out += c;
        out += c;
    }
    return out + "'";
}

}  // namespace

std::string FolderScope::key() const {
    if (!roots) return "*";
    std::vector<std::string> sorted = *roots;
    std::sort(sorted.begin(), sorted.end());
    std::string out;
    for (const auto& r : sorted)
        out += std::to_string(r.size()) + ":" + r;  // lengths keep "a,b" and "a" ",b" apart
    return out;
}

std::string scope_track_sql(const FolderScope& scope, const std::string& path) {
    if (scope.all()) return "true";
    if (scope.roots->empty()) return "false";
    std::string out = "(";
    for (size_t i = 0; i < scope.roots->size(); ++i) {
        if (i) out += " OR ";
        out += "starts_with(" + path + ", " + literal(prefix_of((*scope.roots)[i])) + ")";
    }
    return out + ")";
}

std::string scope_album_sql(const FolderScope& scope, const std::string& album_id) {
    if (scope.all()) return "true";
    return "EXISTS (SELECT 1 FROM tracks sv WHERE sv.album_id = " + album_id + " AND " +
           scope_track_sql(scope, "sv.path") + ")";
}

std::string scope_album_artist_sql(const FolderScope& scope, const std::string& artist_id) {
    if (scope.all()) return "true";
    return "EXISTS (SELECT 1 FROM albums sa JOIN tracks sv ON sv.album_id = sa.id WHERE "
           "sa.album_artist_id = " +
           artist_id + " AND " + scope_track_sql(scope, "sv.path") + ")";
}

std::string scope_artist_sql(const FolderScope& scope, const std::string& artist_id) {
    if (scope.all()) return "true";
    return "(EXISTS (SELECT 1 FROM tracks st WHERE st.track_artist_id = " + artist_id + " AND " +
           scope_track_sql(scope, "st.path") + ") OR " + scope_album_artist_sql(scope, artist_id) +
           ")";
}

}  // namespace sonique::services
