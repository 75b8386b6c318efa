// Browsing methods over the catalog: getGenres, getArtists, getArtist, getAlbum, getSong (more
// come with issue 16's next steps).
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "methods.hpp"
#include "services/genre_counts.hpp"
#include "services/subsonic_catalog.hpp"

namespace sonique::subsonic {
namespace {

void get_genres(Call& call, MethodEnv& env) {
    auto rows = services::genre_counts(env.services);
    Node& genres = call.body.child("genres");
    genres.list("genre");
    for (const auto& g : rows) {
        Node& n = genres.item("genre");
        n.set("songCount", g.songs).set("albumCount", g.albums);
        n.text = g.name;
    }
}

void get_artists(Call& call, MethodEnv& env) {
    add_json_child(
        call.body, "artists",
        services::SubsonicCatalog(env.services, request_scope(call, env)).artists().text);
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
    answer(call, "artist",
           services::SubsonicCatalog(env.services, user_scope(call, env))
               .artist(id_param(call, IdKind::kArtist)));
}

void get_album(Call& call, MethodEnv& env) {
    answer(call, "album",
           services::SubsonicCatalog(env.services, user_scope(call, env))
               .album(id_param(call, IdKind::kAlbum)));
}

void get_song(Call& call, MethodEnv& env) {
    answer(call, "song",
           services::SubsonicCatalog(env.services, user_scope(call, env))
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
