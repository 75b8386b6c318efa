#pragma once
// Cache namespaces. A write bumps every namespace whose cached reads it may change
// (Cache::invalidate), after its transaction committed and before it answers.
#include <cstdint>
#include <string>

namespace sonique::cache::ns {

inline constexpr const char* kArtists = "artists";  // artist lists, counts, single artists
inline constexpr const char* kAlbums = "albums";    // album lists, single albums, album tracks
inline constexpr const char* kTracks = "tracks";    // track reads
inline constexpr const char* kCovers = "covers";    // cover images and cover metadata
inline constexpr const char* kGenres = "genres";    // genres and genre/mood tags
inline constexpr const char* kLibrary = "library";  // library tree, GraphQL artist page
// Users, their API keys and music folders: what authentication reads (services/users.hpp),
// kept in process only (Cache::get_or_load_local).
inline constexpr const char* kUsers = "users";
// A user's stars, ratings and plays: one namespace per user, "annotations:<user id>"
// (services/annotations.hpp bumps the writer's after each of them), so that one user's scrobble
// leaves every other user's cached answers in place. "annotations" alone covers every user's
// answers: bumped by what shows in everyone's (a rating changes averageRating).
inline constexpr const char* kAnnotations = "annotations";
inline std::string user_annotations(int64_t user) {
    return std::string(kAnnotations) + ":" + std::to_string(user);
}

}  // namespace sonique::cache::ns
