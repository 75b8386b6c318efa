#pragma once
// Whether stream sends the original file or a transcode, and which (docs/subsonic.md). Pure:
// unit-tested without a server.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/transcode.hpp"

namespace sonique::subsonic {

struct StreamAsk {
    std::optional<std::string> format;  // the `format` parameter
    int64_t max_bit_rate = 0;           // the `maxBitRate` parameter, kbit/s (0: none)
    int64_t user_max_bit_rate = 0;      // the user's stored default (0: none)
    int64_t time_offset_s = 0;          // `timeOffset`: applies to transcodes only
};

struct SourceAudio {
    std::string suffix;         // the file's extension, lower case
    int64_t bit_rate_kbps = 0;  // 0: unknown
};

// nullopt: the original file. `format=raw` is always the original; a cap (the lower of the
// client's and the user's maxBitRate) below the file's bit rate, or opus/mp3/aac asked for a file
// of another kind, is a transcode (Opus when no format is named) at the format's default rate
// lowered to the cap. Throws SubsonicError 0 for a format that is none of raw, opus, mp3, aac
// and not the file's own suffix. Any thread.
std::optional<server::TranscodePlan> choose_transcode(const StreamAsk& ask,
                                                      const SourceAudio& source);

}  // namespace sonique::subsonic
