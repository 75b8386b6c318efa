// Media annotation: star, unstar, setRating and scrobble (services::Annotations). `id` takes a
// song's, an album's or an artist's id (tr-, al-, ar-: the spec's "file or folder"); `albumId`
// only albums', `artistId` only artists'. An id of another kind, or of nothing, answers 70 and
// nothing is written; so does one outside the user's music folders (as reads answer). Any user
// may star and rate; scrobbling needs the scrobbling role.
#include "core/strings.hpp"
#include "folders.hpp"
#include "ids.hpp"
#include "methods.hpp"
#include "services/annotations.hpp"

namespace sonique::subsonic {
namespace {

using services::AnnotatedKind;

[[noreturn]] void not_found() {
    throw SubsonicError(kNotFound, "The requested data was not found");
}

// Sorts `text` (an id of any kind) into ids; throws 70 for anything else.
void add_any(services::AnnotatedIds& ids, const std::string& text) {
    if (auto t = parse_id(text, IdKind::kTrack))
        ids.tracks.push_back(*t);
    else if (auto al = parse_id(text, IdKind::kAlbum))
        ids.albums.push_back(*al);
    else if (auto ar = parse_id(text, IdKind::kArtist))
        ids.artists.push_back(*ar);
    else
        not_found();
}

services::AnnotatedIds star_ids(const Call& call) {
    services::AnnotatedIds ids;
    for (const auto& text : call.all("id"))
        add_any(ids, text);
    for (const auto& text : call.all("albumId")) {
        auto id = parse_id(text, IdKind::kAlbum);
        if (!id) not_found();
        ids.albums.push_back(*id);
    }
    for (const auto& text : call.all("artistId")) {
        auto id = parse_id(text, IdKind::kArtist);
        if (!id) not_found();
        ids.artists.push_back(*id);
    }
    if (ids.empty())
        throw SubsonicError(kMissingParameter,
                            "Required parameter is missing: id, albumId or artistId");
    return ids;
}

void star(Call& call, MethodEnv& env, bool starred) {
    services::Annotations(env.services, call.user->id, user_scope(call, env))
        .star(star_ids(call), starred);
}

void set_rating(Call& call, MethodEnv& env) {
    std::string id_text = call.required("id");
    auto rating = parse_int(call.required("rating"));
    if (!rating || *rating < 0 || *rating > 5)
        throw SubsonicError(kGeneric, "Parameter rating must be an integer from 0 to 5");
    AnnotatedKind kind = AnnotatedKind::kTrack;
    std::optional<int64_t> id = parse_id(id_text, IdKind::kTrack);
    if (!id && (id = parse_id(id_text, IdKind::kAlbum))) kind = AnnotatedKind::kAlbum;
    if (!id && (id = parse_id(id_text, IdKind::kArtist))) kind = AnnotatedKind::kArtist;
    if (!id) not_found();
    services::Annotations(env.services, call.user->id, user_scope(call, env))
        .rate(kind, *id, static_cast<int>(*rating));
}

// Milliseconds since 1970, up to the end of year 9999.
int64_t time_param(const std::string& text) {
    auto ms = parse_int(text);
    if (!ms || *ms < 0 || *ms > 253402300799999)
        throw SubsonicError(kGeneric, "Parameter time must be milliseconds since 1970");
    return *ms;
}

// The client's name as a player's name: at most 64 bytes, cut on a character boundary.
std::string player_name(std::string name) {
    if (name.size() <= 64) return name;
    size_t end = 64;
    while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80)
        --end;
    name.resize(end);
    return name;
}

// submission=true (the default) counts plays; false reports what is playing now (the last id
// when several are given). `time`, when given, once per id in the same order.
void scrobble(Call& call, MethodEnv& env) {
    if (!call.user->roles.scrobble)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
    call.required("id");
    auto texts = call.all("id");
    auto times = call.all("time");
    if (!times.empty() && times.size() != texts.size())
        throw SubsonicError(kGeneric, "Parameter time must be given once per id, or never");
    std::vector<services::Play> plays;
    for (size_t i = 0; i < texts.size(); ++i) {
        auto id = parse_id(texts[i], IdKind::kTrack);
        if (!id) throw SubsonicError(kNotFound, "Song not found");
        services::Play p{*id, std::nullopt};
        if (!times.empty()) p.at_ms = time_param(times[i]);
        plays.push_back(p);
    }
    services::Annotations notes(env.services, call.user->id, user_scope(call, env));
    if (call.boolean("submission").value_or(true))
        notes.scrobble(plays);
    else
        notes.now_playing(plays.back().track, player_name(call.required("c")));
}

}  // namespace

void add_annotation_methods(MethodTable& table) {
    table["star"] = {[](Call& c, MethodEnv& e) { star(c, e, true); }, true};
    table["unstar"] = {[](Call& c, MethodEnv& e) { star(c, e, false); }, true};
    table["setRating"] = {set_rating, true};
    table["scrobble"] = {scrobble, true};
}

}  // namespace sonique::subsonic
