// Playlists: getPlaylists, getPlaylist, createPlaylist, updatePlaylist, deletePlaylist. Anyone
// reads their own and public playlists; changes need the playlist role and ownership (an
// administrator may change any user's playlist); the library's playlist files are read-only.
#include "core/strings.hpp"
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/subsonic_playlists.hpp"
#include "song_params.hpp"

namespace sonique::subsonic {
namespace {

using services::PlaylistStatus;

// The playlist id in parameter `name`: 10 when missing, 70 when it is not a playlist's id.
int64_t playlist_param(const Call& call, std::string_view name) {
    auto id = parse_id(call.required(name), IdKind::kPlaylist);
    if (!id) throw SubsonicError(kNotFound, "Playlist not found");
    return *id;
}

void check(PlaylistStatus status) {
    switch (status) {
        case PlaylistStatus::kOk:
            return;
        case PlaylistStatus::kNotFound:
            throw SubsonicError(kNotFound, "Playlist not found");
        case PlaylistStatus::kForbidden:
            throw SubsonicError(kNotAuthorised, "Only the owner of a playlist may change it");
        case PlaylistStatus::kReadOnly:
            throw SubsonicError(kNotAuthorised,
                                "This playlist is a playlist file of the library: it is read-only");
        case PlaylistStatus::kUnknownSong:
            throw SubsonicError(kNotFound, "Song not found");
        case PlaylistStatus::kBadIndex:
            throw SubsonicError(kGeneric, "songIndexToRemove is past the end of the playlist");
        case PlaylistStatus::kTooLong:
            throw SubsonicError(kGeneric, "A playlist holds at most " +
                                              std::to_string(services::kMaxListEntries) + " songs");
    }
}

void answer_playlist(Call& call, MethodEnv& env, int64_t id) {
    auto json =
        services::SubsonicPlaylists(env.services, user_scope(call, env)).get(*call.user, id);
    if (!json) throw SubsonicError(kNotFound, "Playlist not found");
    fill_content_types(add_json_child(call.body, "playlist", json->text));
}

// `username`: the playlists that user may play (administrators only, for another user).
void get_playlists(Call& call, MethodEnv& env) {
    int64_t as_user = call.user->id;
    if (auto name = call.get("username"); name && to_lower(*name) != to_lower(call.user->name)) {
        call.require_admin();
        auto user = env.users.find(*name);
        if (!user) throw SubsonicError(kNotFound, "User not found");
        as_user = user->id;
    }
    add_json_child(call.body, "playlists",
                   services::SubsonicPlaylists(env.services, user_scope(call, env))
                       .list(*call.user, as_user)
                       .text);
}

void get_playlist(Call& call, MethodEnv& env) {
    answer_playlist(call, env, playlist_param(call, "id"));
}

// With playlistId: replaces its songs (and its name, when given); else creates one (name
// required). Answers the playlist (since 1.14.0).
void create_playlist(Call& call, MethodEnv& env) {
    require_role(call, call.user->roles.playlist, "change playlists");
    services::SubsonicPlaylists playlists(env.services, user_scope(call, env));
    services::PlaylistResult r;
    if (call.get("playlistId")) {
        int64_t id = playlist_param(call, "playlistId");
        r = playlists.replace(*call.user, id, call.get("name"), song_ids(call, "songId"));
    } else {
        std::string name = call.required("name");
        r = playlists.create(*call.user, name, song_ids(call, "songId"));
    }
    check(r.status);
    answer_playlist(call, env, r.id);
}

void update_playlist(Call& call, MethodEnv& env) {
    require_role(call, call.user->roles.playlist, "change playlists");
    int64_t id = playlist_param(call, "playlistId");
    services::PlaylistUpdate change;
    change.name = call.get("name");
    change.comment = call.get("comment");
    change.is_public = call.boolean("public");
    change.add = song_ids(call, "songIdToAdd");
    for (const auto& index : call.all("songIndexToRemove"))
        change.remove_indexes.push_back(non_negative(index, "songIndexToRemove"));
    check(services::SubsonicPlaylists(env.services, user_scope(call, env))
              .update(*call.user, id, change)
              .status);
}

void delete_playlist(Call& call, MethodEnv& env) {
    require_role(call, call.user->roles.playlist, "change playlists");
    int64_t id = playlist_param(call, "id");
    check(services::SubsonicPlaylists(env.services, user_scope(call, env))
              .remove(*call.user, id)
              .status);
}

}  // namespace

void add_playlist_methods(MethodTable& table) {
    table["getPlaylists"] = {get_playlists, true};
    table["getPlaylist"] = {get_playlist, true};
    table["createPlaylist"] = {create_playlist, true};
    table["updatePlaylist"] = {update_playlist, true};
    table["deletePlaylist"] = {delete_playlist, true};
}

}  // namespace sonique::subsonic
