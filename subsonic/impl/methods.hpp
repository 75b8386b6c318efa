#pragma once
// The table of Subsonic methods. Each handler reads its parameters from the Call, checks the
// roles it needs and fills call.body; it throws SubsonicError (or sonique::Error, mapped by
// the dispatcher). Handlers run on HTTP threads, concurrently.
#include <functional>
#include <map>
#include <string>

#include "call.hpp"
#include "core/config.hpp"
#include "server/transcode.hpp"
#include "services/cover_sizes.hpp"
#include "services/scan.hpp"
#include "services/users.hpp"

namespace sonique::subsonic {

struct MethodEnv {
    services::UserService& users;
    const Config& config;
    services::ServiceContext& services;
    services::ScanService& scans;        // startScan's scans (cancelled when the server stops)
    server::TranscodeSlots& transcodes;  // stream's ffmpeg children (SONIQUE_TRANSCODE_LIMIT)
    services::CoverSizes& cover_sizes;   // getCoverArt's sizes past the stored one
};

struct Method {
    std::function<void(Call&, MethodEnv&)> run;
    bool needs_auth = true;
};

using MethodTable = std::map<std::string, Method, std::less<>>;

// methods_system.cpp: ping, getLicense, getOpenSubsonicExtensions, getMusicFolders.
void add_system_methods(MethodTable& table);
// methods_users.cpp: getUser, getUsers, createUser, updateUser, deleteUser, changePassword.
void add_user_methods(MethodTable& table);

// methods_browse.cpp: getGenres.
void add_browse_methods(MethodTable& table);
// methods_folders.cpp: getIndexes, getMusicDirectory.
void add_folder_methods(MethodTable& table);
// methods_info.cpp: getArtistInfo(2), getAlbumInfo(2), getSimilarSongs(2), getLyrics,
// getLyricsBySongId.
void add_info_methods(MethodTable& table);
// methods_lists.cpp: getAlbumList, getAlbumList2.
void add_list_methods(MethodTable& table);
// methods_search.cpp: search2, search3, getRandomSongs, getSongsByGenre.
void add_search_methods(MethodTable& table);
// methods_scan.cpp: getScanStatus, startScan.
void add_scan_methods(MethodTable& table);
// methods_media.cpp: stream, download.
void add_media_methods(MethodTable& table);
// methods_covers.cpp: getCoverArt.
void add_cover_methods(MethodTable& table);
// methods_annotations.cpp: star, unstar, setRating, scrobble.
void add_annotation_methods(MethodTable& table);
// methods_starred.cpp: getStarred, getStarred2, getTopSongs, getNowPlaying.
void add_starred_methods(MethodTable& table);
// methods_playlists.cpp: getPlaylists, getPlaylist, createPlaylist, updatePlaylist,
// deletePlaylist.
void add_playlist_methods(MethodTable& table);
// methods_queue.cpp: getPlayQueue, savePlayQueue, getPlayQueueByIndex, savePlayQueueByIndex,
// getBookmarks, createBookmark, deleteBookmark.
void add_queue_methods(MethodTable& table);
// methods_radio.cpp: getInternetRadioStations, create/update/deleteInternetRadioStation.
void add_radio_methods(MethodTable& table);

// The extensions getOpenSubsonicExtensions lists: exactly what is implemented.
struct Extension {
    const char* name;
    int version;
};
const std::vector<Extension>& extensions();

// Subsonic methods that Sonique does not serve (yet or ever): they answer error 0 naming the
// method, like unknown ones, rather than an HTTP 404.
bool is_unserved_method(std::string_view name);

}  // namespace sonique::subsonic
