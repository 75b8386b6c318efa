// stream and download: the original file through the REST stream's range-capable path
// (server/audio_response.hpp, services::StreamService: a file outside the library roots is
// never opened). Transcoding is not implemented yet: a `format` or `maxBitRate` asking for it
// gets the original file (docs/subsonic.md).
#include "core/error.hpp"
#include "ids.hpp"
#include "methods.hpp"
#include "services/stream.hpp"

namespace sonique::subsonic {
namespace {

void require_role(const Call& call, bool allowed) {
    if (!call.user || !allowed)
        throw SubsonicError(kNotAuthorised, "User is not authorized for the given operation");
}

// The track's opened file. Throws SubsonicError 70 for an id that is not a track's, an unknown
// track, and a file that is missing or outside the library roots.
services::AudioFile open_track(const Call& call, MethodEnv& env) {
    auto id = parse_id(call.required("id"), IdKind::kTrack);
    if (!id) throw SubsonicError(kNotFound, "Song not found");
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

void stream(Call& call, MethodEnv& env) {
    require_role(call, call.user && call.user->roles.stream);
    send(call, open_track(call, env));
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
