#include "scanner/demo_library.hpp"

#include <taglib/attachedpictureframe.h>
#include <taglib/flacfile.h>
#include <taglib/flacpicture.h>
#include <taglib/id3v2tag.h>
#include <taglib/mpegfile.h>
#include <taglib/tpropertymap.h>
#include <taglib/wavfile.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <vector>

#include "demo_templates.hpp"
#include "imaging/synthetic_cover.hpp"
#include "various_artists.hpp"

namespace sonique::scanner {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> kFirst{"Anna", "Léa",    "Björk",   "Ólafur", "Ёлка",   "坂本",
                                      "Zoë",  "Mariza", "Noël",    "Jürgen", "Amaru",  "Ngozi",
                                      "Yūki", "Chloé",  "Ibrahim", "Σοφία",  "Dmitri", "Aisha"};
const std::vector<std::string> kLast{
    "Quartet", "Brothers", "Orchestra", "Trio",   "Collective", "Sound System", "Ensemble", "Band",
    "龍一",    "Ивановa",  "Lindqvist", "Dubois", "Okafor",     "Moreau",       "Rós"};
const std::vector<std::string> kWords{"Night", "Blue", "River",  "Été",  "Dreams",  "Gold",
                                      "Paper", "Ciel", "Winter", "Echo", "Fire",    "Lune",
                                      "Glass", "Road", "夜",     "Свет", "Silence", "Horizon"};
const std::vector<std::string> kGenres{"Rock",    "Jazz", "Electronic", "Pop",   "Classical",
                                       "Hip-Hop", "Folk", "Ambient",    "Metal", "Soul"};
const std::vector<std::string> kMoods{"happy", "calm", "energetic", "sad", "dark"};

std::string safe(std::string s) {
    for (auto& c : s)
        if (c == '/' || c == '\\' || c == ':') c = '_';
    return s;
}

struct Shape {
    size_t files;
    size_t albums() const { return std::max<size_t>(1, files / 10); }
    size_t artists() const { return std::max<size_t>(2, files / 25); }
};

class Generator {
  public:
    Generator(const std::string& dir, const DemoOptions& o) : dir_(dir), o_(o), rng_(o.seed) {}

    size_t run() {
        Shape shape{o_.files};
        size_t written = 0;
        for (size_t i = 0; i < o_.files; ++i)
            written += write_one(i, shape);
        return written;
    }

  private:
    std::string pick(const std::vector<std::string>& v, uint64_t n) { return v[n % v.size()]; }
    std::string artist_name(size_t a) {
        if (a == 7) return "AC/DC";
        return pick(kFirst, a) + " " + pick(kLast, a / kFirst.size() + a * 7);
    }
    std::string album_title(size_t al) {
        return pick(kWords, al) + " " + pick(kWords, al / 3 + 5) + " " + std::to_string(al);
    }

    bool write_one(size_t i, const Shape& shape) {
        size_t album = i / 10, number = i % 10 + 1;
        bool compilation = album % 9 == 4;
        size_t album_artist = (album * 2654435761u) % shape.artists();
        size_t artist = compilation ? (i * 40503u) % shape.artists() : album_artist;
        std::string album_artist_name = compilation ? kVariousArtists : artist_name(album_artist);
        std::string ext = i % 3 == 0 ? "mp3" : (i % 3 == 1 ? "flac" : "wav");
        std::string title = pick(kWords, i * 13 + 1) + " " + pick(kWords, i * 7 + 3);
        fs::path folder = fs::path(dir_) / safe(album_artist_name) / safe(album_title(album));
        fs::create_directories(folder);
        char num[8];
        snprintf(num, sizeof num, "%02zu", number);
        fs::path file = folder / (std::string(num) + " - " + safe(title) + "." + ext);
        write_template(file, ext);

        TagLib::PropertyMap props;
        bool missing = static_cast<int>(rng_() % 100) < o_.missing_percent;
        if (!missing) {
            props["TITLE"] = TagLib::String(title, TagLib::String::UTF8);
            std::string a = artist_name(artist);
            if (i % 11 == 5) a += " feat. " + artist_name((artist + 1) % shape.artists());
            props["ARTIST"] = TagLib::String(a, TagLib::String::UTF8);
        }
        props["ALBUMARTIST"] = TagLib::String(album_artist_name, TagLib::String::UTF8);
        props["ALBUM"] = TagLib::String(album_title(album), TagLib::String::UTF8);
        props["TRACKNUMBER"] = TagLib::String(std::to_string(number) + "/10");
        props["DATE"] = TagLib::String(std::to_string(1960 + album % 60));
        props["GENRE"] = TagLib::String(pick(kGenres, album));
        if (i % 4 == 0) props["MOOD"] = TagLib::String(pick(kMoods, i));
        if (i % 5 == 0) props["BPM"] = TagLib::String(std::to_string(80 + i % 90));
        if (compilation) props["COMPILATION"] = TagLib::String("1");
        bool cover = static_cast<int>(rng_() % 100) < o_.cover_percent;
        return tag(file, ext, props, cover ? album_cover(album) : "");
    }

    // One picture per album (the album's files are written one after another).
    const std::string& album_cover(size_t album) {
        if (cover_album_ != album || cover_.empty()) {
            const auto seed = static_cast<uint32_t>(album * 2654435761u);
            cover_ = o_.cover_side > 0 ? imaging::synthetic_cover_jpeg(o_.cover_side, seed)
                                       : demo::bmp_image(seed);
            cover_album_ = album;
        }
        return cover_;
    }

    void write_template(const fs::path& file, const std::string& ext) {
        static const std::string wav = demo::wav_template(), mp3 = demo::mp3_template(),
                                 flac = demo::flac_template();
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        const std::string& t = ext == "mp3" ? mp3 : (ext == "flac" ? flac : wav);
        out.write(t.data(), static_cast<std::streamsize>(t.size()));
        if (!out) throw std::runtime_error("cannot write " + file.string());
    }

    static const char* mime(const std::string& image) {
        return image.rfind("BM", 0) == 0 ? "image/bmp" : "image/jpeg";
    }

    static TagLib::ID3v2::AttachedPictureFrame* apic(const std::string& image) {
        auto* f = new TagLib::ID3v2::AttachedPictureFrame;
        f->setMimeType(mime(image));
        f->setType(TagLib::ID3v2::AttachedPictureFrame::FrontCover);
        f->setPicture(TagLib::ByteVector(image.data(), static_cast<unsigned>(image.size())));
        return f;
    }

    bool tag(const fs::path& file, const std::string& ext, const TagLib::PropertyMap& props,
             const std::string& image) {
        if (ext == "mp3") {
            TagLib::MPEG::File f(file.c_str(), false);
            f.setProperties(props);
            if (!image.empty()) f.ID3v2Tag(true)->addFrame(apic(image));
            return f.save(TagLib::MPEG::File::ID3v2);
        }
        if (ext == "flac") {
            TagLib::FLAC::File f(file.c_str(), false);
            f.setProperties(props);
            if (!image.empty()) {
                auto* p = new TagLib::FLAC::Picture;
                p->setType(TagLib::FLAC::Picture::FrontCover);
                p->setMimeType(mime(image));
                p->setData(TagLib::ByteVector(image.data(), static_cast<unsigned>(image.size())));
                f.addPicture(p);
            }
            return f.save();
        }
        TagLib::RIFF::WAV::File f(file.c_str(), false);
        f.setProperties(props);
        if (!image.empty()) f.ID3v2Tag()->addFrame(apic(image));
        return f.save();
    }

    std::string dir_;
    DemoOptions o_;
    std::mt19937_64 rng_;
    std::string cover_;
    size_t cover_album_ = 0;
};

}  // namespace

size_t generate_library(const std::string& dir, const DemoOptions& options) {
    fs::create_directories(dir);
    return Generator(dir, options).run();
}

}  // namespace sonique::scanner
