// stream and download: the original file through the REST stream's range-capable path
// (server/audio_response.hpp, services::StreamService: a file outside the library roots is
// never opened), or, for stream, a transcode by ffmpeg of that same opened file
// (server/transcode.hpp; which one: transcode_choice.hpp; docs/subsonic.md).
#include <system_error>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "folders.hpp"
#include "ids.hpp"
#include "methods.hpp"
#include "services/stream.hpp"
#include "services/subsonic_catalog.hpp"
#include "transcode_choice.hpp"

namespace sonique::subsonic {
namespace {

void require_role(const Call& call, bool allowed) {
    if (!call.user || !allowed)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
}

// The track's opened file. Throws SubsonicError 70 for an id that is not a track's, an unknown
// track, a track outside the user's music folders, and a file that is missing or outside the
// library roots.
services::AudioFile open_track(const Call& call, MethodEnv& env) {
    auto id = parse_id(call.required("id"), IdKind::kTrack);
    if (!id) throw SubsonicError(kNotFound, "Song not found");
    // A user restricted to some music folders reaches no song outside them (one look-up, only
    // for such a user).
    auto scope = user_scope(call, env);
    if (!scope.all() && !services::SubsonicCatalog(env.services, 0, scope).track_visible(*id))
        throw SubsonicError(kNotFound, "Song not found");
    try {
        return services::StreamService(env.services).open(*id);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::kNotFound) throw;
        throw SubsonicError(kNotFound, "Song not found");
    }
}

// Bytes only once the file is open: every failure before answers a Subsonic error body.
void send(Call& call, const services::AudioFile& audio) {
    call.raw = true;
    server::send_audio(call.http->req, call.http->res, audio, std::move(call.ranges));
}

// A non-negative integer parameter (0 when absent). Throws SubsonicError 0 otherwise.
int64_t count_param(const Call& call, std::string_view name) {
    auto text = call.get(name);
    if (!text) return 0;
    auto n = parse_int(*text);
    if (!n || *n < 0)
        throw SubsonicError(kGeneric,
                            "Parameter " + std::string(name) + " must be a non-negative integer");
    return *n;
}

std::string suffix_of(const std::string& file_name) {
    auto dot = file_name.rfind('.');
    return dot == std::string::npos ? "" : to_lower(file_name.substr(dot + 1));
}

void stream(Call& call, MethodEnv& env) {
    require_role(call, call.user && call.user->roles.stream);
    StreamAsk ask;
    ask.format = call.get("format");
    ask.max_bit_rate = count_param(call, "maxBitRate");
    ask.time_offset_s = count_param(call, "timeOffset");
    const bool estimate = call.boolean("estimateContentLength").value_or(false);
    auto audio = open_track(call, env);
    ask.user_max_bit_rate = env.users.max_bit_rate(call.user->id);
    auto plan = choose_transcode(ask, {suffix_of(audio.file_name), audio.bit_rate_kbps});
    if (!plan) {
        send(call, audio);
        return;
    }
    // Refused at once past the limit: a client waiting here would hold a thread for nothing.
    auto slot = env.transcodes.try_acquire();
    if (!slot)
        throw SubsonicError(kGeneric, "Too many transcodes at once (the server's limit is " +
                                          std::to_string(env.transcodes.limit()) +
                                          "): try again later, or ask for format=raw");
    std::optional<int64_t> length;
    // Without a known duration there is nothing to estimate from: chunked, as without the flag.
    if (estimate && audio.duration_s > 0)
        length = server::estimated_length(audio.duration_s, *plan);
    try {
        server::send_transcoded(call.http->res, audio, *plan, std::move(*slot), length);
    } catch (const std::system_error& e) {
        log::error("stream: ffmpeg could not be started: ", e.what());
        throw SubsonicError(kGeneric, "Transcoding is not available (ffmpeg could not start)");
    }
    call.raw = true;
}

void download(Call& call, MethodEnv& env) {
    require_role(call, call.user && call.user->roles.download);
    auto audio = open_track(call, env);
    // RFC 6266: an ASCII fallback (quotes and backslashes escaped, other bytes replaced) and
    // the exact name in filename* (RFC 8187 percent-encoding).
    std::string ascii, encoded;
    static const char* kHex = "0123456789ABCDEF";
    for (unsigned char c : audio.file_name) {
        bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
        if (c == '"' || c == '\\')
            ascii += {'\\', static_cast<char>(c)};
        else
            ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '_';
    }
    call.http->res.set_header("Content-Disposition", "attachment; filename=\"" + ascii +
                                                         "\"; filename*=UTF-8''" + encoded);
    send(call, audio);
}

}  // namespace

void add_media_methods(MethodTable& table) {
    table["stream"] = {stream, true};
    table["download"] = {download, true};
}

}  // namespace sonique::subsonic
