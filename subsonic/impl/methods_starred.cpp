// The user's lists: getStarred, getStarred2, getTopSongs and getNowPlaying (the catalog's
// answers, with the user's stars, ratings and plays in every song, album and artist).
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "list_params.hpp"
#include "methods.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

// musicFolderId is accepted and ignored: every user sees every root (docs/subsonic.md).
void get_starred(Call& call, MethodEnv& env, bool id3) {
    fill_content_types(
        add_json_child(call.body, id3 ? "starred2" : "starred",
                       services::SubsonicCatalog(env.services, call.user->id, user_scope(call, env))
                           .starred(id3)
                           .text));
}

// `id` (an artist's, topSongsByArtistId) wins over `artist` (a name); one of them is required.
// An id of another kind or of no artist in the user's folders is 70. `count` 50 by default,
// lowered to 500.
void get_top_songs(Call& call, MethodEnv& env) {
    auto id_text = call.get("id");
    std::string artist = id_text ? std::string() : call.required("artist");
    int64_t count = count_param(call, "count", 50, kMaxListSize);
    services::SubsonicCatalog catalog(env.services, call.user->id, user_scope(call, env));
    std::string json;
    if (id_text) {
        auto id = parse_id(*id_text, IdKind::kArtist);
        if (!id) throw SubsonicError(kNotFound, "Artist not found");
        json = catalog.top_songs_by_id(*id, count).text;
    } else {
        json = catalog.top_songs(artist, count).text;
    }
    fill_content_types(add_json_child(call.body, "topSongs", json));
}

void get_now_playing(Call& call, MethodEnv& env) {
    fill_content_types(
        add_json_child(call.body, "nowPlaying",
                       services::SubsonicCatalog(env.services, call.user->id, user_scope(call, env))
                           .now_playing()
                           .text));
}

}  // namespace

void add_starred_methods(MethodTable& table) {
    table["getStarred"] = {[](Call& c, MethodEnv& e) { get_starred(c, e, false); }, true};
    table["getStarred2"] = {[](Call& c, MethodEnv& e) { get_starred(c, e, true); }, true};
    table["getTopSongs"] = {get_top_songs, true};
    table["getNowPlaying"] = {get_now_playing, true};
}

}  // namespace sonique::subsonic
