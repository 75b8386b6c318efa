#include "profiles.hpp"

#include "core/strings.hpp"

namespace sonique::dlna {
namespace {

// Streaming transfer mode, background transfer, connection stalling, DLNA 1.5.
constexpr std::string_view kFlags = "DLNA.ORG_FLAGS=01700000000000000000000000000000";

std::string extension(std::string_view path) {
    auto dot = path.rfind('.');
    auto slash = path.rfind('/');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return "";
    return to_lower(path.substr(dot + 1));
}

}  // namespace

MediaProfile media_profile(std::string_view mime, std::string_view path, long bitrate_kbps) {
    std::string ext = extension(path);
    std::string m(mime);
    if (m == "audio/mpeg" || m == "audio/mp3") return {"audio/mpeg", "MP3", true};
    if (m == "audio/flac" || m == "audio/x-flac") return {"audio/flac", "", true};
    if (m == "audio/mp4" || m == "audio/x-m4a" || m == "audio/m4a") {
        // ALAC shares the container; renderers that take AAC may not take it, but only the
        // codec tells, which the catalog does not keep: AAC is by far the common case.
        return {"audio/mp4", bitrate_kbps > 0 && bitrate_kbps <= 320 ? "AAC_ISO_320" : "AAC_ISO",
                true};
    }
    if (m == "audio/aac" || m == "audio/aacp" || ext == "aac")
        return {"audio/vnd.dlna.adts",
                bitrate_kbps > 0 && bitrate_kbps <= 320 ? "AAC_ADTS_320" : "AAC_ADTS", true};
    if (m == "audio/wav" || m == "audio/x-wav" || m == "audio/wave") return {"audio/wav", "", true};
    if (m == "audio/ogg" && ext != "opus") return {"audio/ogg", "", true};
    if (m == "audio/x-ms-wma")
        return {"audio/x-ms-wma", bitrate_kbps > 0 && bitrate_kbps <= 193 ? "WMABASE" : "WMAFULL",
                false};
    if (m == "audio/aiff" || m == "audio/x-aiff") return {"audio/aiff", "", false};
    // Opus, APE, WavPack, Musepack, DSD, anything else: served, but the MP3 is offered too.
    return {m.empty() ? "application/octet-stream" : m, "", false};
}

std::string dlna_features(std::string_view pn, bool seekable, bool converted) {
    std::string s;
    if (!pn.empty()) {
        s += "DLNA.ORG_PN=";
        s += pn;
        s += ';';
    }
    s += seekable ? "DLNA.ORG_OP=01" : "DLNA.ORG_OP=00";
    s += converted ? ";DLNA.ORG_CI=1;" : ";DLNA.ORG_CI=0;";
    s += kFlags;
    return s;
}

std::string protocol_info(std::string_view mime, std::string_view pn, bool seekable,
                          bool converted) {
    return "http-get:*:" + std::string(mime) + ":" + dlna_features(pn, seekable, converted);
}

std::string source_protocol_info() {
    return "http-get:*:audio/mpeg:DLNA.ORG_PN=MP3,http-get:*:audio/mp4:DLNA.ORG_PN=AAC_ISO_320,"
           "http-get:*:audio/mp4:DLNA.ORG_PN=AAC_ISO,"
           "http-get:*:audio/vnd.dlna.adts:DLNA.ORG_PN=AAC_ADTS_320,"
           "http-get:*:audio/x-ms-wma:DLNA.ORG_PN=WMABASE,"
           "http-get:*:audio/x-ms-wma:DLNA.ORG_PN=WMAFULL,http-get:*:audio/flac:*,"
           "http-get:*:audio/wav:*,http-get:*:audio/ogg:*,http-get:*:audio/aiff:*,"
           "http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_TN,http-get:*:image/jpeg:DLNA.ORG_PN=JPEG_SM";
}

}  // namespace sonique::dlna
