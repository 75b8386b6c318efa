#pragma once
// Format-specific parts of the TagLib reader: pictures and bit depth have no generic API in
// TagLib 1.x. Only included by the TagLib reader.
#include <taglib/id3v2tag.h>
#include <taglib/tfile.h>

#include <optional>
#include <string>

namespace sonique::scanner::taglib_extras {

// The embedded front cover, else the first picture; empty when there is none.
std::string picture(TagLib::File* file);
// The same from an ID3v2 tag (nullptr: none).
std::string from_id3v2(TagLib::ID3v2::Tag* tag);
// Bits per sample for the lossless formats that have it.
std::optional<int> bit_depth(TagLib::File* file);
// Where what follows an ID3v2 tag at the start of file begins (TagLib's own header parsing,
// footer included); 0 when the file does not start with one.
long after_leading_id3v2(TagLib::File* file);
// Synchronised lyrics (SYLT frames with times in milliseconds; the "Lyrics" kind first) as LRC
// text, one "[mm:ss.xx]line" each; nullopt when there are none (taglib_sylt.cpp).
std::optional<std::string> synced_lyrics(TagLib::File* file);
std::optional<std::string> synced_lyrics(TagLib::ID3v2::Tag* tag);
// MIME type for a lower-case extension.
std::string mime_for_extension(const std::string& ext);

}  // namespace sonique::scanner::taglib_extras
