#pragma once
// Cache namespaces. A write bumps every namespace whose cached reads it may change
// (Cache::invalidate), after its transaction committed and before it answers.
namespace sonique::cache::ns {

inline constexpr const char* kArtists = "artists";  // artist lists, counts, single artists
inline constexpr const char* kAlbums = "albums";    // album lists, single albums, album tracks
inline constexpr const char* kTracks = "tracks";    // track reads
inline constexpr const char* kCovers = "covers";    // cover images and cover metadata
inline constexpr const char* kGenres = "genres";    // genres and genre/mood tags
inline constexpr const char* kLibrary = "library";  // library tree, GraphQL artist page
// Per-user data (stars, ratings, play counts) that Subsonic answers carry.
inline constexpr const char* kAnnotations = "annotations";

}  // namespace sonique::cache::ns
