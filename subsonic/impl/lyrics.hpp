#pragma once
// Lyrics as the songLyrics extension shapes them: LRC text (the lyrics tag or a sidecar .lrc
// file, which the scanner stores alike in tracks.lyrics) read into synced lines with their start
// times, or plain text into unsynced lines. Pure functions, any thread.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::subsonic {

struct LyricLine {
    std::optional<int64_t> start_ms;  // set for synced lyrics only
    std::string text;
};

struct Lyrics {
    bool synced = false;
    std::vector<LyricLine> lines;  // by start time (synced, stable) or as written
    int64_t offset_ms = 0;         // [offset:+/-n]; positive: lyrics appear sooner (as in LRC)
    std::optional<std::string> artist, title, lang;  // [ar:], [ti:], [la:]
};

// Reads LRC: "[mm:ss]", "[mm:ss.x]", "[mm:ss.xx]", "[mm:ss.xxx]" (also ':' before the fraction)
// time tags, several on one line (the text is repeated at each time), word times "<mm:ss.xx>"
// dropped from the text, the tags ar, ti, la and offset; other "[key:value]" tags are ignored.
// Text with no time tag at all is unsynced: each line as written (CR removed, trailing blank
// lines dropped). Never throws.
Lyrics parse_lyrics(std::string_view text);

// The lines' text alone, one per line (getLyrics: the old API's plain value).
std::string plain_lyrics(const Lyrics& lyrics);

}  // namespace sonique::subsonic
