#include "taglib_extras.hpp"

#include <taglib/aifffile.h>
#include <taglib/apefile.h>
#include <taglib/asffile.h>
#include <taglib/attachedpictureframe.h>
#include <taglib/flacfile.h>
#include <taglib/id3v2header.h>
#include <taglib/id3v2tag.h>
#include <taglib/mp4file.h>
#include <taglib/mpegfile.h>
#include <taglib/oggflacfile.h>
#include <taglib/opusfile.h>
#include <taglib/trueaudiofile.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/wavpackfile.h>
#include <taglib/xiphcomment.h>

#include <map>

namespace sonique::scanner::taglib_extras {
namespace {

std::string bytes(const TagLib::ByteVector& v) {
    return std::string(v.data(), v.size());
}

std::string from_flac_list(const TagLib::List<TagLib::FLAC::Picture*>& list) {
    std::string first;
    for (auto* p : list) {
        if (p->type() == TagLib::FLAC::Picture::FrontCover) return bytes(p->data());
        if (first.empty()) first = bytes(p->data());
    }
    return first;
}

std::string from_xiph(TagLib::Ogg::XiphComment* tag) {
    return tag ? from_flac_list(tag->pictureList()) : std::string();
}

std::string from_mp4(TagLib::MP4::File* f) {
    auto* tag = f->tag();
    if (!tag || !tag->contains("covr")) return {};
    auto list = tag->item("covr").toCoverArtList();
    return list.isEmpty() ? std::string() : bytes(list.front().data());
}

std::string from_asf(TagLib::ASF::File* f) {
    auto* tag = f->tag();
    if (!tag || !tag->attributeListMap().contains("WM/Picture")) return {};
    std::string first;
    for (const auto& attr : tag->attributeListMap()["WM/Picture"]) {
        auto pic = attr.toPicture();
        if (!pic.isValid()) continue;
        if (pic.type() == TagLib::ASF::Picture::FrontCover) return bytes(pic.picture());
        if (first.empty()) first = bytes(pic.picture());
    }
    return first;
}

}  // namespace

std::string from_id3v2(TagLib::ID3v2::Tag* tag) {
    if (!tag) return {};
    const auto& frames = tag->frameListMap()["APIC"];
    std::string first;
    for (auto* f : frames) {
        auto* pic = dynamic_cast<TagLib::ID3v2::AttachedPictureFrame*>(f);
        if (!pic) continue;
        if (pic->type() == TagLib::ID3v2::AttachedPictureFrame::FrontCover)
            return bytes(pic->picture());
        if (first.empty()) first = bytes(pic->picture());
    }
    return first;
}

long after_leading_id3v2(TagLib::File* file) {
    file->seek(0);
    const TagLib::ByteVector head = file->readBlock(TagLib::ID3v2::Header::size());
    if (head.size() < TagLib::ID3v2::Header::size() ||
        !head.startsWith(TagLib::ID3v2::Header::fileIdentifier()))
        return 0;
    return static_cast<long>(TagLib::ID3v2::Header(head).completeTagSize());
}

std::string picture(TagLib::File* file) {
    using namespace TagLib;
    if (auto* f = dynamic_cast<MPEG::File*>(file)) return from_id3v2(f->ID3v2Tag(false));
    if (auto* f = dynamic_cast<FLAC::File*>(file)) {
        auto s = from_flac_list(f->pictureList());
        return s.empty() && f->hasID3v2Tag() ? from_id3v2(f->ID3v2Tag(false)) : s;
    }
    if (auto* f = dynamic_cast<MP4::File*>(file)) return from_mp4(f);
    if (auto* f = dynamic_cast<Ogg::Vorbis::File*>(file)) return from_xiph(f->tag());
    if (auto* f = dynamic_cast<Ogg::Opus::File*>(file)) return from_xiph(f->tag());
    if (auto* f = dynamic_cast<Ogg::FLAC::File*>(file)) return from_xiph(f->tag());
    if (auto* f = dynamic_cast<RIFF::WAV::File*>(file))
        return f->hasID3v2Tag() ? from_id3v2(f->ID3v2Tag()) : std::string();
    if (auto* f = dynamic_cast<RIFF::AIFF::File*>(file))
        return f->hasID3v2Tag() ? from_id3v2(f->tag()) : std::string();
    if (auto* f = dynamic_cast<ASF::File*>(file)) return from_asf(f);
    return {};
}

std::optional<int> bit_depth(TagLib::File* file) {
    using namespace TagLib;
    int bits = 0;
    if (auto* f = dynamic_cast<FLAC::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<RIFF::WAV::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<RIFF::AIFF::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<MP4::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<APE::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<WavPack::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    else if (auto* f = dynamic_cast<TrueAudio::File*>(file))
        bits = f->audioProperties() ? f->audioProperties()->bitsPerSample() : 0;
    if (bits <= 0 || bits > 64) return std::nullopt;
    return bits;
}

std::string mime_for_extension(const std::string& ext) {
    static const std::map<std::string, std::string> kMime{
        {"mp3", "audio/mpeg"},     {"mp2", "audio/mpeg"},     {"flac", "audio/flac"},
        {"ogg", "audio/ogg"},      {"oga", "audio/ogg"},      {"opus", "audio/opus"},
        {"spx", "audio/ogg"},      {"m4a", "audio/mp4"},      {"mp4", "audio/mp4"},
        {"m4b", "audio/mp4"},      {"m4r", "audio/mp4"},      {"m4p", "audio/mp4"},
        {"aac", "audio/aac"},      {"alac", "audio/mp4"},     {"3g2", "audio/3gpp2"},
        {"wav", "audio/wav"},      {"aif", "audio/aiff"},     {"aiff", "audio/aiff"},
        {"aifc", "audio/aiff"},    {"wma", "audio/x-ms-wma"}, {"asf", "audio/x-ms-asf"},
        {"wv", "audio/x-wavpack"}, {"ape", "audio/ape"},      {"mpc", "audio/x-musepack"},
        {"tta", "audio/x-tta"},    {"dsf", "audio/dsf"},      {"dff", "audio/dff"},
        {"mod", "audio/x-mod"},    {"s3m", "audio/x-s3m"},    {"it", "audio/x-it"},
        {"xm", "audio/x-xm"}};
    auto it = kMime.find(ext);
    return it == kMime.end() ? "application/octet-stream" : it->second;
}

}  // namespace sonique::scanner::taglib_extras
