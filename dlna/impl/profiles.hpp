#pragma once
// DLNA media profiles: the protocolInfo of a track's original file, whether renderers take it
// as it is, and the headers /dlna/media answers with (DLNA 1.5 guidelines, 7.4.1.3).
#include <string>
#include <string_view>

#include "dlna/protocol_info.hpp"

namespace sonique::dlna {

struct MediaProfile {
    std::string mime;            // Content-Type
    std::string pn;              // DLNA.ORG_PN ("MP3", "AAC_ISO_320", ...), "" when DLNA names none
    bool renderers_play = true;  // false: offer the transcoded MP3 too (Opus, APE, DSD, WMA...)
};

// From the stored MIME type (services::audio_mime_type) and the file's path. Any thread.
MediaProfile media_profile(std::string_view mime, std::string_view path, long bitrate_kbps);

// The fourth field of protocolInfo (and contentFeatures.dlna.org's value): PN when known,
// OP=01 (byte seek) for files, OP=00 and CI=1 for transcodes, the DLNA 1.5 flags.
std::string dlna_features(std::string_view pn, bool seekable, bool converted);
// "http-get:*:<mime>:<features>".
std::string protocol_info(std::string_view mime, std::string_view pn, bool seekable,
                          bool converted);

}  // namespace sonique::dlna
