// Browsing methods over the catalog: getGenres, getArtists, getArtist, getAlbum, getSong. All but
// getSong are answered through the cache.
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/subsonic_cache.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

// Cached answers (services/subsonic_cache.hpp): per user, scope and what selects the answer.
JsonText cached(Call& call, MethodEnv& env, const services::FolderScope& scope,
                const std::string& key, const std::function<JsonText()>& load) {
    return services::subsonic_cached(env.services, {call.user->id, scope, key}, load);
}

// The counts cover the user's folders.
void get_genres(Call& call, MethodEnv& env) {
    auto scope = user_scope(call, env);
    add_json_child(
        call.body, "genres",
        cached(call, env, scope, "getGenres", [&] {
            return services::SubsonicCatalog(env.services, call.user->id, scope).genres();
        }).text);
}

// Written as cached (add_raw_json_child): a large library's index is a few hundred KB that a tree
// would parse and write again on every request.
void get_artists(Call& call, MethodEnv& env) {
    auto scope = request_scope(call, env);
    add_raw_json_child(
        call.body, "artists",
        cached(call, env, scope, "getArtists", [&] {
            return services::SubsonicCatalog(env.services, call.user->id, scope).artists();
        }).text);
}

// The id of `kind` in parameter "id": 10 when missing, 70 when it is not an id of that kind.
int64_t id_param(const Call& call, IdKind kind) {
    auto id = parse_id(call.required("id"), kind);
    if (!id) throw SubsonicError(kNotFound, "The requested data was not found");
    return *id;
}

void answer(Call& call, const char* name, const std::optional<JsonText>& json) {
    if (!json) throw SubsonicError(kNotFound, "The requested data was not found");
    fill_content_types(add_json_child(call.body, name, json->text));
}

void get_artist(Call& call, MethodEnv& env) {
    auto scope = user_scope(call, env);
    int64_t id = id_param(call, IdKind::kArtist);
    answer(call, "artist",
           services::subsonic_cached_entity(
               env.services, {call.user->id, scope, "getArtist:" + std::to_string(id)}, [&] {
                   return services::SubsonicCatalog(env.services, call.user->id, scope).artist(id);
               }));
}

void get_album(Call& call, MethodEnv& env) {
    auto scope = user_scope(call, env);
    int64_t id = id_param(call, IdKind::kAlbum);
    answer(call, "album",
           services::subsonic_cached_entity(
               env.services, {call.user->id, scope, "getAlbum:" + std::to_string(id)}, [&] {
                   return services::SubsonicCatalog(env.services, call.user->id, scope).album(id);
               }));
}

void get_song(Call& call, MethodEnv& env) {
    answer(call, "song",
           services::SubsonicCatalog(env.services, call.user->id, user_scope(call, env))
               .song(id_param(call, IdKind::kTrack)));
}

}  // namespace

void add_browse_methods(MethodTable& table) {
    table["getGenres"] = {get_genres, true};
    table["getArtists"] = {get_artists, true};
    table["getArtist"] = {get_artist, true};
    table["getAlbum"] = {get_album, true};
    table["getSong"] = {get_song, true};
}

}  // namespace sonique::subsonic
