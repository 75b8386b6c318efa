#include "taglib_latin1.hpp"

#include "taglib_extras.hpp"

#include <taglib/flacfile.h>
#include <taglib/opusfile.h>
#include <taglib/vorbisfile.h>

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/strings.hpp"

namespace sonique::scanner::taglib_extras {
namespace {

using TagLib::ByteVector;

constexpr unsigned kMaxComments = 4096;
constexpr unsigned long kMaxBlock = 16u << 20;  // FLAC's block length field is 24 bits

// Windows-1252 to UTF-8: 0x80-0x9F are its printable extras (Latin-1's C1 controls never
// appear in tags), the rest is Latin-1.
std::string cp1252_to_utf8(std::string_view bytes) {
    static constexpr std::array<char16_t, 32> kHigh{
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        char32_t c = b >= 0x80 && b < 0xA0 ? kHigh[b - 0x80] : b;
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }
    return out;
}

// The comment block (vendor, count, "KEY=value" entries, little-endian lengths): the values of
// each key, in order, and the keys that hold a value that is not UTF-8.
void recover(const ByteVector& data, TagLib::PropertyMap& map) {
    std::map<std::string, std::vector<std::string>> values;
    std::vector<std::string> broken;
    unsigned pos = 0;
    auto u32 = [&](unsigned at) { return data.toUInt(at, false); };
    if (data.size() < 8) return;
    const unsigned vendor = u32(0);
    if (vendor > data.size() - 8) return;
    pos = 4 + vendor;
    const unsigned count = u32(pos);
    pos += 4;
    if (count > kMaxComments) return;  // replacing a key's values from a part could lose some
    for (unsigned i = 0; i < count && pos + 4 <= data.size(); ++i) {
        const unsigned len = u32(pos);
        pos += 4;
        if (len > data.size() - pos) break;
        std::string_view entry(data.data() + pos, len);
        pos += len;
        const size_t eq = entry.find('=');
        if (eq == 0 || eq == std::string_view::npos) continue;
        std::string key(entry.substr(0, eq));
        bool valid_key = true;  // as TagLib's: printable ASCII up to '}' ('=' ends it)
        for (char& ch : key) {
            valid_key = valid_key && ch >= 0x20 && ch <= 0x7D;
            if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        }
        if (!valid_key || key == "METADATA_BLOCK_PICTURE") continue;
        std::string_view value = entry.substr(eq + 1);
        if (is_valid_utf8(value)) {
            values[key].emplace_back(value);
        } else {
            values[key].push_back(cp1252_to_utf8(value));
            broken.push_back(key);
        }
    }
    for (const auto& key : broken) {
        TagLib::StringList list;
        for (const auto& v : values[key])
            list.append(TagLib::String(v, TagLib::String::UTF8));
        map.replace(TagLib::String(key, TagLib::String::UTF8), list);
    }
}

// The VORBIS_COMMENT metadata block of a FLAC file (after an ID3v2 tag, if any).
ByteVector flac_comment_block(TagLib::File* f) {
    // As TagLib: padding may follow the ID3v2 tag.
    long pos = f->find("fLaC", after_leading_id3v2(f));
    if (pos < 0) return {};
    pos += 4;
    for (int blocks = 0; blocks < 1024; ++blocks) {
        f->seek(pos);
        const ByteVector h = f->readBlock(4);
        if (h.size() < 4) return {};
        const unsigned type = static_cast<unsigned char>(h[0]) & 0x7F;
        const unsigned long len = h.toUInt(1, 3, true);
        if (type == 4) return len <= kMaxBlock ? f->readBlock(len) : ByteVector();
        if (static_cast<unsigned char>(h[0]) & 0x80) return {};  // the last block
        pos += 4 + static_cast<long>(len);
    }
    return {};
}

// The comment packet of an Ogg Vorbis or Opus file, without its codec's header.
ByteVector ogg_comment_packet(TagLib::Ogg::File* f, const char* magic, unsigned magic_size) {
    ByteVector p = f->packet(1);
    if (p.size() < magic_size || !p.startsWith(ByteVector(magic, magic_size))) return {};
    return p.mid(magic_size);
}

}  // namespace

void recover_latin1_comments(TagLib::File* file, TagLib::PropertyMap& map) {
    ByteVector block;
    if (auto* flac = dynamic_cast<TagLib::FLAC::File*>(file)) {
        if (!flac->hasXiphComment()) return;
        block = flac_comment_block(flac);
    } else if (auto* vorbis = dynamic_cast<TagLib::Ogg::Vorbis::File*>(file)) {
        block = ogg_comment_packet(vorbis, "\x03vorbis", 7);
    } else if (auto* opus = dynamic_cast<TagLib::Ogg::Opus::File*>(file)) {
        block = ogg_comment_packet(opus, "OpusTags", 8);
    } else {
        return;
    }
    recover(block, map);
}

}  // namespace sonique::scanner::taglib_extras
