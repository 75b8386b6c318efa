// Synchronised lyrics (ID3v2 SYLT frames) as LRC text, so that they are stored in the lyrics
// column like a sidecar .lrc file and getLyricsBySongId serves them as synced lines. TagLib's
// property map has no key for SYLT (USLT is its LYRICS), hence this reader of the frames.
#include <taglib/aifffile.h>
#include <taglib/mpegfile.h>
#include <taglib/synchronizedlyricsframe.h>
#include <taglib/trueaudiofile.h>
#include <taglib/wavfile.h>

#include <cstdio>

#include "core/strings.hpp"
#include "taglib_extras.hpp"

namespace sonique::scanner::taglib_extras {
namespace {

using Sylt = TagLib::ID3v2::SynchronizedLyricsFrame;

// "[mm:ss.xx]" of a time in milliseconds (minutes past 99 keep their digits: the LRC reader
// takes up to four).
std::string lrc_time(unsigned int ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "[%02u:%02u.%02u]", ms / 60000, ms / 1000 % 60, ms % 1000 / 10);
    return buf;
}

// One frame as LRC lines. A text's leading line break (the common way to mark a new line in
// SYLT) and any others inside it become spaces: one timed line each.
std::string frame_text(const Sylt& frame) {
    std::string out;
    for (const auto& entry : frame.synchedText()) {
        std::string text = sanitize_utf8(entry.text.to8Bit(true));
        for (char& c : text)
            if (c == '\n' || c == '\r' || c == '\0') c = ' ';
        text = trim(text);
        if (text.empty()) continue;
        out += lrc_time(entry.time) + text + "\n";
    }
    return out;
}

}  // namespace

std::optional<std::string> synced_lyrics(TagLib::ID3v2::Tag* tag) {
    if (!tag) return std::nullopt;
    const auto& frames = tag->frameListMap()["SYLT"];
    std::string fallback;
    for (auto* f : frames) {
        auto* sylt = dynamic_cast<Sylt*>(f);
        // Times in MPEG frames would need the stream's frame duration: only milliseconds.
        if (!sylt || sylt->timestampFormat() != Sylt::AbsoluteMilliseconds) continue;
        std::string text = frame_text(*sylt);
        if (text.empty()) continue;
        if (sylt->type() == Sylt::Lyrics) return text;
        if (fallback.empty()) fallback = std::move(text);
    }
    if (fallback.empty()) return std::nullopt;
    return fallback;
}

std::optional<std::string> synced_lyrics(TagLib::File* file) {
    using namespace TagLib;
    if (auto* f = dynamic_cast<MPEG::File*>(file))
        return f->hasID3v2Tag() ? synced_lyrics(f->ID3v2Tag(false)) : std::nullopt;
    if (auto* f = dynamic_cast<RIFF::WAV::File*>(file))
        return f->hasID3v2Tag() ? synced_lyrics(f->ID3v2Tag()) : std::nullopt;
    if (auto* f = dynamic_cast<RIFF::AIFF::File*>(file))
        return f->hasID3v2Tag() ? synced_lyrics(f->tag()) : std::nullopt;
    if (auto* f = dynamic_cast<TrueAudio::File*>(file))
        return f->hasID3v2Tag() ? synced_lyrics(f->ID3v2Tag(false)) : std::nullopt;
    return std::nullopt;
}

}  // namespace sonique::scanner::taglib_extras
