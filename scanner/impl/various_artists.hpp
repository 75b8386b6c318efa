#pragma once
// The one album artist name the scanner makes up: compilations (tagged as such, or a folder's
// album whose tracks have different artists) are filed under it, and tags that name it are
// recognised as compilations whatever their case.
namespace sonique::scanner {

inline constexpr const char* kVariousArtists = "Various Artists";

}  // namespace sonique::scanner
