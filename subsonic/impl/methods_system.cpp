// System and browsing methods that need no catalog: ping, getLicense,
// getOpenSubsonicExtensions, getMusicFolders; and the list of methods not served.
#include <algorithm>

#include "folders.hpp"
#include "methods.hpp"

namespace sonique::subsonic {
namespace {

void get_open_subsonic_extensions(Call& call, MethodEnv&) {
    call.body.list("openSubsonicExtensions");
    for (const auto& e : extensions()) {
        Node& n = call.body.item("openSubsonicExtensions");
        n.set("name", std::string(e.name));
        n.value_item("versions", int64_t{e.version});
    }
}

// One folder per library root the user may see, numbered from 1 in MUSIC_PATH's order; named
// after the root's last component (the full path is not a client's business).
void get_music_folders(Call& call, MethodEnv& env) {
    Node& folders = call.body.child("musicFolders");
    folders.list("musicFolder");
    for (const auto& f : user_folders(call, env))
        folders.item("musicFolder").set("id", f.id).set("name", f.name);
}

}  // namespace

const std::vector<Extension>& extensions() {
    static const std::vector<Extension> list = {
        {"apiKeyAuthentication", 1}, {"formPost", 1},       {"indexBasedQueue", 1},
        {"playbackReport", 1},       {"songLyrics", 1},     {"sonicSimilarity", 1},
        {"topSongsByArtistId", 1},   {"transcodeOffset", 1}};
    return list;
}

void add_system_methods(MethodTable& table) {
    table["ping"] = {[](Call&, MethodEnv&) {}, true};
    table["getLicense"] = {
        [](Call& call, MethodEnv&) { call.body.child("license").set("valid", true); }, true};
    // The spec: "must be publicly accessible" (clients ask before they log in).
    table["getOpenSubsonicExtensions"] = {get_open_subsonic_extensions, false};
    table["getMusicFolders"] = {get_music_folders, true};
}

bool is_unserved_method(std::string_view name) {
    // Endpoints of the specification (content/en/docs/Endpoints) that Sonique does not answer
    // yet (the catalog, media, playlists: later sessions of issue 16) or ever (video, podcasts,
    // chat, jukebox, shares, HLS).
    static const std::vector<std::string_view> kNames = {"addChatMessage",
                                                         "createPodcastChannel",
                                                         "createShare",
                                                         "deletePodcastChannel",
                                                         "deletePodcastEpisode",
                                                         "deleteShare",
                                                         "downloadPodcastEpisode",
                                                         "getAvatar",
                                                         "getCaptions",
                                                         "getChatMessages",
                                                         "getNewestPodcasts",
                                                         "getPodcastEpisode",
                                                         "getPodcasts",
                                                         "getShares",
                                                         "getTranscodeDecision",
                                                         "getTranscodeStream",
                                                         "getVideoInfo",
                                                         "getVideos",
                                                         "hls",
                                                         "jukeboxControl",
                                                         "refreshPodcasts",
                                                         "search",
                                                         "updateShare"};
    return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

}  // namespace sonique::subsonic
