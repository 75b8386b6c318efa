// What Sonique knows beyond the catalog: getArtistInfo(2), getAlbumInfo(2), getSimilarSongs(2),
// getLyrics and getLyricsBySongId (songLyrics).
#include "core/json.hpp"
#include "core/strings.hpp"
#include "folders.hpp"
#include "ids.hpp"
#include "json_node.hpp"
#include "lyrics.hpp"
#include "methods.hpp"
#include "services/subsonic_info.hpp"

namespace sonique::subsonic {
namespace {

[[noreturn]] void not_found() {
    throw SubsonicError(kNotFound, "The requested data was not found");
}

// The artist, album or song id of parameter "id" as (kind, id): 'r', 'l' or 't'.
std::pair<char, int64_t> entity_param(const Call& call) {
    std::string text = call.required("id");
    if (auto id = parse_id(text, IdKind::kArtist)) return {'r', *id};
    if (auto id = parse_id(text, IdKind::kAlbum)) return {'l', *id};
    if (auto id = parse_id(text, IdKind::kTrack)) return {'t', *id};
    not_found();
}

// A count parameter: `fallback` when absent, lowered to 500; error 0 when not a non-negative
// integer.
int64_t count_param(const Call& call, const char* name, int64_t fallback) {
    auto text = call.get(name);
    if (!text) return fallback;
    auto n = parse_int(*text);
    if (!n || *n < 0)
        throw SubsonicError(kGeneric,
                            std::string("Parameter ") + name + " must be a non-negative integer");
    return std::min<int64_t>(*n, 500);
}

void artist_info(Call& call, MethodEnv& env, bool id3) {
    auto [kind, id] = entity_param(call);
    int64_t count = count_param(call, "count", 20);
    bool absent = call.boolean("includeNotPresent").value_or(false);
    auto json = services::SubsonicInfo(env.services, user_scope(call, env))
                    .artist_info(kind, id, count, absent, id3);
    if (!json) not_found();
    add_json_child(call.body, id3 ? "artistInfo2" : "artistInfo", json->text);
}

void album_info(Call& call, MethodEnv& env) {
    auto id = parse_id(call.required("id"), IdKind::kAlbum);
    if (!id) not_found();
    auto json = services::SubsonicInfo(env.services, user_scope(call, env)).album_info(*id);
    if (!json) not_found();
    add_json_child(call.body, "albumInfo", json->text);
}

void similar_songs(Call& call, MethodEnv& env, bool id3) {
    auto [kind, id] = entity_param(call);
    int64_t count = count_param(call, "count", 50);
    auto json = services::SubsonicInfo(env.services, user_scope(call, env), call.user->id)
                    .similar_songs(kind, id, count);
    if (!json) not_found();
    fill_content_types(
        add_json_child(call.body, id3 ? "similarSongs2" : "similarSongs", json->text));
}

// The song id of parameter `name`; error 70 when it is not one.
int64_t song_param(const Call& call, const char* name) {
    auto id = parse_id(call.required(name), IdKind::kTrack);
    if (!id) not_found();
    return *id;
}

// getSonicSimilarTracks and findSonicPath (sonicSimilarity): the sonicMatch list goes straight
// into the response (no wrapping element).
void add_sonic_matches(Call& call, const JsonText& json) {
    Node& parent = call.body;
    parent.list("sonicMatch");
    Json parsed = Json::parse(json.text);
    for (const auto& m : parsed["sonicMatch"]) {
        Node& n = parent.item("sonicMatch");
        n.set("similarity", m["similarity"].get<double>());
        fill_content_types(add_json_child(n, "entry", dump_json(m["entry"])));
    }
}

void sonic_similar_tracks(Call& call, MethodEnv& env) {
    int64_t id = song_param(call, "id");
    int64_t count = count_param(call, "count", 10);
    auto json = services::SubsonicInfo(env.services, user_scope(call, env), call.user->id)
                    .sonic_similar(id, count);
    if (!json) not_found();
    add_sonic_matches(call, *json);
}

void find_sonic_path(Call& call, MethodEnv& env) {
    int64_t from = song_param(call, "startSongId"), to = song_param(call, "endSongId");
    int64_t count = count_param(call, "count", 25);
    auto json = services::SubsonicInfo(env.services, user_scope(call, env), call.user->id)
                    .sonic_path(from, to, count);
    if (!json) not_found();
    add_sonic_matches(call, *json);
}

// getLyrics: the old API's plain text of the first song whose title (and artist) match; an
// empty value when none has lyrics, as Navidrome answers.
void get_lyrics(Call& call, MethodEnv& env) {
    std::string artist = call.get("artist").value_or(""), title = call.get("title").value_or("");
    Node& n = call.body.child("lyrics");
    std::optional<services::StoredLyrics> found;
    if (!title.empty())
        found =
            services::SubsonicInfo(env.services, user_scope(call, env)).find_lyrics(artist, title);
    if (found && found->text) {
        n.set("artist", found->artist).set("title", found->title);
        n.text = plain_lyrics(parse_lyrics(*found->text));
        return;
    }
    if (!artist.empty()) n.set("artist", artist);
    if (!title.empty()) n.set("title", title);
    n.text = std::string();
}

void get_lyrics_by_song_id(Call& call, MethodEnv& env) {
    auto id = parse_id(call.required("id"), IdKind::kTrack);
    if (!id) not_found();
    auto stored = services::SubsonicInfo(env.services, user_scope(call, env)).lyrics_of(*id);
    if (!stored) not_found();
    Node& list = call.body.child("lyricsList");
    list.list("structuredLyrics");
    if (!stored->text) return;
    Lyrics lyrics = parse_lyrics(*stored->text);
    if (lyrics.lines.empty()) return;
    Node& s = list.item("structuredLyrics");
    // The language is unknown unless the text says it ("xxx", the taggers' value the spec
    // allows, as Navidrome answers).
    s.set("displayArtist", lyrics.artist.value_or(stored->artist))
        .set("displayTitle", lyrics.title.value_or(stored->title))
        .set("lang", lyrics.lang.value_or("xxx"))
        .set("synced", lyrics.synced);
    if (lyrics.offset_ms) s.set("offset", lyrics.offset_ms);
    s.list("line");
    for (const auto& line : lyrics.lines) {
        Node& l = s.item("line");
        if (line.start_ms) l.set("start", *line.start_ms);
        l.text = line.text;
    }
}

}  // namespace

void add_info_methods(MethodTable& table) {
    table["getArtistInfo"] = {[](Call& c, MethodEnv& e) { artist_info(c, e, false); }, true};
    table["getArtistInfo2"] = {[](Call& c, MethodEnv& e) { artist_info(c, e, true); }, true};
    table["getAlbumInfo"] = {album_info, true};
    table["getAlbumInfo2"] = {album_info, true};
    table["getSimilarSongs"] = {[](Call& c, MethodEnv& e) { similar_songs(c, e, false); }, true};
    table["getSimilarSongs2"] = {[](Call& c, MethodEnv& e) { similar_songs(c, e, true); }, true};
    table["getSonicSimilarTracks"] = {sonic_similar_tracks, true};
    table["findSonicPath"] = {find_sonic_path, true};
    table["getLyrics"] = {get_lyrics, true};
    table["getLyricsBySongId"] = {get_lyrics_by_song_id, true};
}

}  // namespace sonique::subsonic
