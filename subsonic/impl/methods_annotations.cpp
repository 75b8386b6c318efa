// Media annotation: star, unstar, setRating and scrobble (services::Annotations). `id` takes a
// song's, an album's or an artist's id (tr-, al-, ar-: the spec's "file or folder"); `albumId`
// only albums', `artistId` only artists'. An id of another kind, or of nothing, answers 70 and
// nothing is written; so does one outside the user's music folders (as reads answer). Any user
// may star and rate; scrobbling and playback reports (playbackReport) need the scrobbling role.
#include <cmath>

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

// A playback position past a year is no song's (and would overflow the clock's arithmetic).
constexpr int64_t kMaxPositionMs = int64_t{366} * 24 * 3600 * 1000;

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

// playbackReport: mediaId (a song's), mediaType (song; podcasts are not served), positionMs (an
// integer >= 0), state (starting, playing, paused, stopped: the spec's names, case-sensitive),
// playbackRate (a number in (0, 16], 1 by default), ignoreScrobble (false by default). Needs
// the scrobbling role, as scrobble does (both write plays and now-playing reports).
void report_playback(Call& call, MethodEnv& env) {
    if (!call.user->roles.scrobble)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
    std::string media = call.required("mediaId");
    std::string type = call.required("mediaType");
    std::string position = call.required("positionMs");
    std::string state = call.required("state");
    services::PlaybackReport r;
    if (type == "podcast") throw SubsonicError(kNotFound, "Podcasts are not served");
    if (type != "song")
        throw SubsonicError(kGeneric, "Parameter mediaType must be song or podcast");
    auto ms = parse_int(position);
    if (!ms || *ms < 0 || *ms > kMaxPositionMs)
        throw SubsonicError(kGeneric, "Parameter positionMs must be milliseconds from 0");
    r.position_ms = *ms;
    if (state == "starting")
        r.state = services::PlaybackState::kStarting;
    else if (state == "playing")
        r.state = services::PlaybackState::kPlaying;
    else if (state == "paused")
        r.state = services::PlaybackState::kPaused;
    else if (state == "stopped")
        r.state = services::PlaybackState::kStopped;
    else
        throw SubsonicError(kGeneric,
                            "Parameter state must be starting, playing, paused or stopped");
    if (auto rate_text = call.get("playbackRate")) {
        auto rate = parse_double(*rate_text);
        if (!rate || !std::isfinite(*rate) || *rate <= 0 || *rate > services::kMaxPlaybackRate)
            throw SubsonicError(kGeneric,
                                "Parameter playbackRate must be a number above 0, at "
                                "most 16");
        r.rate = *rate;
    }
    r.ignore_scrobble = call.boolean("ignoreScrobble").value_or(false);
    auto id = parse_id(media, IdKind::kTrack);
    if (!id) throw SubsonicError(kNotFound, "Song not found");
    r.track = *id;
    services::Annotations(env.services, call.user->id, user_scope(call, env))
        .report_playback(r, player_name(call.required("c")));
}

}  // namespace

void add_annotation_methods(MethodTable& table) {
    table["star"] = {[](Call& c, MethodEnv& e) { star(c, e, true); }, true};
    table["unstar"] = {[](Call& c, MethodEnv& e) { star(c, e, false); }, true};
    table["setRating"] = {set_rating, true};
    table["scrobble"] = {scrobble, true};
    table["reportPlayback"] = {report_playback, true};
}

}  // namespace sonique::subsonic
