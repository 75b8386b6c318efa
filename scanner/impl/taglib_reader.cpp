// The TagLib reader: the only code (with the other taglib_*.cpp files beside it) that includes
// TagLib.
#include <taglib/fileref.h>
#include <taglib/tfilestream.h>
#include <taglib/tpropertymap.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/strings.hpp"
#include "scanner/tag_reader.hpp"
#include "tag_split.hpp"
#include "taglib_dsd_adts.hpp"
#include "taglib_extras.hpp"
#include "taglib_latin1.hpp"

namespace sonique::scanner {
namespace {

// Valid UTF-8 without NUL bytes (PostgreSQL text refuses them).
std::string clean(const TagLib::String& s) {
    std::string out = sanitize_utf8(s.to8Bit(true));
    std::erase(out, '\0');
    return trim(out);
}

// The property map's keys as UTF-8, looked up by a linear search: a file has a dozen or two,
// and PropertyMap::find would build and upper-case a TagLib::String for each of the ~50 lookups
// of a file. TagLib stores the keys upper-cased; ours are written so.
class Props {
  public:
    explicit Props(TagLib::PropertyMap map) : map_(std::move(map)) {
        keys_.reserve(map_.size());
        for (const auto& [key, values] : map_)
            keys_.push_back({key.to8Bit(true), &values});
    }
    std::vector<std::string> all(const char* key) const {
        std::vector<std::string> out;
        for (const auto& k : keys_) {
            if (k.name != key) continue;
            for (const auto& v : *k.values) {
                std::string c = clean(v);
                if (!c.empty()) out.push_back(std::move(c));
            }
            break;
        }
        return out;
    }
    OptStr first(const char* key) const {
        auto v = all(key);
        if (v.empty()) return std::nullopt;
        return v.front();
    }
    OptStr first_of(std::initializer_list<const char*> keys) const {
        for (const char* k : keys)
            if (auto v = first(k)) return v;
        return std::nullopt;
    }
    std::optional<double> number(std::initializer_list<const char*> keys) const {
        auto v = first_of(keys);
        return v ? leading_double(*v) : std::nullopt;
    }

  private:
    struct Key {
        std::string name;
        const TagLib::StringList* values;
    };
    TagLib::PropertyMap map_;
    std::vector<Key> keys_;
};

std::optional<int> positive(int v) {
    return v > 0 ? std::optional<int>(v) : std::nullopt;
}

// Several ARTISTS values are the artists as tagged, in order and one per MusicBrainz artist id:
// a name may hold a separator ("Hall / Oates"), so they are not split again. One value is split
// like ARTIST: taggers join the list into one value where the format has no multi-values
// (ID3v2.3 "A/B", say), and TagLib 1.13 does not split it.
std::vector<std::string> read_artists(const Props& p, const SplitRules& rules) {
    auto artists = p.all("ARTISTS");
    if (artists.size() > 1) return artists;
    return split_all(artists.empty() ? p.all("ARTIST") : artists, rules);
}

void read_identity(const Props& p, const SplitRules& rules, TrackInfo& t) {
    t.title = p.first("TITLE").value_or("");
    t.artists = read_artists(p, rules);
    t.artist_mbids = p.all("MUSICBRAINZ_ARTISTID");
    t.album_artist = p.first_of({"ALBUMARTIST", "ALBUM ARTIST"}).value_or("");
    t.album = p.first("ALBUM");
    t.compilation = truthy(p.first_of({"COMPILATION", "ITUNESCOMPILATION"}).value_or(""));
    t.track_number = p.first("TRACKNUMBER");
    t.disc_number = p.first("DISCNUMBER");
    t.track_total = t.track_number ? total_of(*t.track_number) : std::nullopt;
    if (!t.track_total) t.track_total = p.number({"TRACKTOTAL", "TOTALTRACKS"});
    t.disc_total = t.disc_number ? total_of(*t.disc_number) : std::nullopt;
    if (!t.disc_total) t.disc_total = p.number({"DISCTOTAL", "TOTALDISCS"});
    t.date = p.first_of({"DATE", "YEAR"});
    t.original_date = p.first_of({"ORIGINALDATE", "ORIGINALYEAR"});
    t.genres = split_all(p.all("GENRE"), rules);
    t.moods = split_all(p.all("MOOD"), rules);
}

void read_ids(const Props& p, TrackInfo& t) {
    t.mb_recording = p.first("MUSICBRAINZ_TRACKID");
    t.mb_track = p.first("MUSICBRAINZ_RELEASETRACKID");
    if (!t.mb_track) t.mb_track = t.mb_recording;
    t.mb_album = p.first("MUSICBRAINZ_ALBUMID");
    t.mb_album_artist = p.first("MUSICBRAINZ_ALBUMARTISTID");
    t.mb_release_group = p.first("MUSICBRAINZ_RELEASEGROUPID");
    t.acoustid = p.first_of({"ACOUSTID_FINGERPRINT", "ACOUSTID FINGERPRINT"});
    t.isrc = p.first("ISRC");
    t.composer = p.first("COMPOSER");
    t.comment = p.first("COMMENT");
    t.lyrics = p.first_of({"LYRICS", "UNSYNCEDLYRICS"});
    t.title_sort = p.first("TITLESORT");
    t.artist_sort = p.first("ARTISTSORT");
    t.album_sort = p.first("ALBUMSORT");
    t.album_artist_sort = p.first("ALBUMARTISTSORT");
    t.rg_track_gain = p.number({"REPLAYGAIN_TRACK_GAIN"});
    t.rg_track_peak = p.number({"REPLAYGAIN_TRACK_PEAK"});
    t.rg_album_gain = p.number({"REPLAYGAIN_ALBUM_GAIN"});
    t.rg_album_peak = p.number({"REPLAYGAIN_ALBUM_PEAK"});
}

// BPM, key and AcousticBrainz-style values ("DANCEABILITY", "AB:MOOD_HAPPY", ...).
void read_features(const Props& p, TrackInfo& t) {
    t.bpm = p.number({"BPM", "TBPM"});
    if (auto k = p.first_of({"INITIALKEY", "KEY"})) parse_key(*k, t.key, t.scale);
    auto f = [&](const char* a, const char* b) { return p.number({a, b}); };
    t.danceability = f("DANCEABILITY", "AB:DANCEABILITY");
    t.mood_happy = f("MOOD_HAPPY", "AB:MOOD_HAPPY");
    t.mood_aggressive = f("MOOD_AGGRESSIVE", "AB:MOOD_AGGRESSIVE");
    t.mood_party = f("MOOD_PARTY", "AB:MOOD_PARTY");
    t.mood_relaxed = f("MOOD_RELAXED", "AB:MOOD_RELAXED");
    t.instrumental = f("INSTRUMENTAL", "AB:INSTRUMENTAL");
    t.acoustic = f("MOOD_ACOUSTIC", "AB:MOOD_ACOUSTIC");
    t.tonal = f("TONAL", "AB:TONAL");
}

void read_audio(TagLib::File* file, TrackInfo& t) {
    if (auto* ap = file->audioProperties()) {
        t.duration =
            ap->lengthInSeconds() >= 0 ? std::optional<int>(ap->lengthInSeconds()) : std::nullopt;
        t.bitrate = positive(ap->bitrate());
        t.sample_rate = positive(ap->sampleRate());
        t.channels = positive(ap->channels());
    }
    t.bit_depth = taglib_extras::bit_depth(file);
}

void read_audio(const taglib_extras::StreamInfo& info, TrackInfo& t) {
    t.duration = static_cast<int>(info.length_ms / 1000);
    t.bitrate = positive(info.bitrate_kbps);
    t.sample_rate = positive(info.sample_rate);
    t.channels = positive(info.channels);
    t.bit_depth = info.bit_depth;
}

class TagLibReader : public TagReader {
  public:
    explicit TagLibReader(SplitRules rules) : rules_(std::move(rules)) {}

    ReadOutcome read(const FileEntry& entry) override {
        ReadOutcome out;
        // Read-only: FileRef(path) opens files read-write, and closing a file opened for writing
        // is an IN_CLOSE_WRITE, which `serve --watch` takes for a change and scans again. With a
        // stream, FileRef still picks the format by the stream's name (the path's extension),
        // then by content. The stream outlives the file (declared first, destroyed last).
        TagLib::FileStream stream(entry.path.c_str(), /*openReadOnly=*/true);
        TagLib::FileRef ref(&stream, true, TagLib::AudioProperties::Average);
        if (!ref.isNull() && ref.file() && ref.file()->isValid()) {
            TagLib::PropertyMap map = ref.file()->properties();
            taglib_extras::recover_latin1_comments(ref.file(), map);
            out.track = read_tags(entry, std::move(map));
            read_audio(ref.file(), *out.track);
            out.track->picture = taglib_extras::picture(ref.file());
            // Synced lyrics win over unsynced ones (USLT, LYRICS) and over a sidecar file.
            if (auto synced = taglib_extras::synced_lyrics(ref.file()))
                out.track->lyrics = std::move(synced);
            // An ADTS stream named .mp3 passes for an MPEG file without a sample rate.
            if (!out.track->sample_rate)
                if (auto own = taglib_extras::DsdAdtsFile::open(&stream))
                    read_audio(own->info(), *out.track);
            return out;
        }
        // What TagLib 1.13 does not read: DSF, DSDIFF, ADTS AAC.
        if (auto own = taglib_extras::DsdAdtsFile::open(&stream)) {
            out.track = read_tags(entry, own->tag()->properties());
            read_audio(own->info(), *out.track);
            out.track->picture = taglib_extras::from_id3v2(own->tag());
            if (auto synced = taglib_extras::synced_lyrics(own->tag()))
                out.track->lyrics = std::move(synced);
            return out;
        }
        // TagLib says the same for a file it may not open: tell them apart, because only a
        // corrupt file is remembered as failed (permissions change without the mtime).
        if (::access(entry.path.c_str(), R_OK) != 0) {
            out.error = std::string("cannot open: ") + std::strerror(errno);
            out.transient = true;
        } else {
            out.error = "not a readable audio file (unsupported or corrupt)";
        }
        return out;
    }

  private:
    TrackInfo read_tags(const FileEntry& entry, TagLib::PropertyMap map) const {
        TrackInfo t;
        t.file = entry;
        Props props(std::move(map));
        read_identity(props, rules_, t);
        read_ids(props, t);
        read_features(props, t);
        std::string ext = to_lower(std::filesystem::path(entry.path).extension().string());
        t.mime_type = taglib_extras::mime_for_extension(ext.empty() ? ext : ext.substr(1));
        return t;
    }

    SplitRules rules_;
};

}  // namespace

std::unique_ptr<TagReader> make_taglib_reader(SplitRules rules) {
    return std::make_unique<TagLibReader>(std::move(rules));
}

const std::vector<std::string>& audio_extensions() {
    static const std::vector<std::string> kExt{
        "mp3", "mp2", "flac", "ogg", "oga", "opus", "spx",  "m4a",  "m4b", "m4r", "m4p",
        "mp4", "aac", "alac", "3g2", "wav", "aif",  "aiff", "aifc", "wma", "asf", "wv",
        "ape", "mpc", "tta",  "dsf", "dff", "mod",  "s3m",  "it",   "xm"};
    return kExt;
}

}  // namespace sonique::scanner
