#include "taglib_dsd_adts.hpp"

#include "taglib_extras.hpp"

#include <algorithm>
#include <array>

namespace sonique::scanner::taglib_extras {
namespace {

using TagLib::ByteVector;

constexpr int kMaxChannels = 8;
// An ADTS file's frames are walked up to this many bytes; the rest is extrapolated from the
// frames' average size (an hour of 320 kb/s AAC is ~144 MB).
constexpr long kMaxAdtsWalk = 64L << 20;
// A DSDIFF file has a handful of chunks (FVER, PROP, DSD or DST, DIIN, ID3, COMT...).
constexpr int kMaxDffChunks = 256;

// A chunk id: four printable ASCII characters.
bool chunk_id(const ByteVector& c) {
    for (unsigned i = 0; i < 4; ++i)
        if (c[i] < 0x20 || c[i] > 0x7E) return false;
    return true;
}

int64_t length_ms(double units, double per_second) {
    if (per_second <= 0 || units <= 0) return 0;
    double ms = units * 1000.0 / per_second;
    return ms > 1e12 ? 0 : static_cast<int64_t>(ms);  // a nonsense header, not a 30-year track
}

int kbps(double bits_per_second) {
    return bits_per_second > 0 && bits_per_second < 1e9 ? static_cast<int>(bits_per_second / 1000)
                                                        : 0;
}

// One ADTS frame header (ISO 14496-3 1.A.2.2), or nullopt when bytes do not start one.
struct AdtsHeader {
    int sample_rate;
    int channels;  // 0: given in-band
    long frame_length;
    int blocks;  // raw data blocks of 1,024 samples
};

std::optional<AdtsHeader> adts_header(const unsigned char* b) {
    static constexpr std::array<int, 13> kRates{96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                                22050, 16000, 12000, 11025, 8000,  7350};
    if (b[0] != 0xFF || (b[1] & 0xF6) != 0xF0) return std::nullopt;  // sync, layer 0
    const int rate_index = (b[2] >> 2) & 0x0F;
    if (rate_index >= static_cast<int>(kRates.size())) return std::nullopt;
    const int config = ((b[2] & 0x01) << 2) | (b[3] >> 6);
    const long length = ((b[3] & 0x03L) << 11) | (static_cast<long>(b[4]) << 3) | (b[5] >> 5);
    const long header = (b[1] & 0x01) ? 7 : 9;  // 9 with a CRC
    if (length <= header) return std::nullopt;
    return AdtsHeader{kRates[static_cast<size_t>(rate_index)], config == 7 ? 8 : config, length,
                      (b[6] & 0x03) + 1};
}

}  // namespace

DsdAdtsFile::~DsdAdtsFile() = default;

std::unique_ptr<DsdAdtsFile> DsdAdtsFile::open(TagLib::IOStream* stream) {
    std::unique_ptr<DsdAdtsFile> f(new DsdAdtsFile(stream));
    if (!f->isOpen()) return nullptr;
    if (!f->read_dsf() && !f->read_dff() && !f->read_adts()) return nullptr;
    if (!f->tag_) f->tag_ = std::make_unique<TagLib::ID3v2::Tag>();
    return f;
}

void DsdAdtsFile::read_tag_at(long offset) {
    if (offset < 0 || offset >= length()) return;
    tag_ = std::make_unique<TagLib::ID3v2::Tag>(this, offset);
}

// DSF (Sony, little-endian): a 28-byte "DSD " chunk (with the metadata's offset), then a 52-byte
// "fmt " chunk.
bool DsdAdtsFile::read_dsf() {
    seek(0);
    const ByteVector h = readBlock(80);
    if (h.size() < 80 || !h.startsWith("DSD ") || !h.containsAt("fmt ", 28)) return false;
    const long long metadata = h.toLongLong(20, false);
    const unsigned format = h.toUInt(44, false);
    const unsigned channels = h.toUInt(52, false);
    const unsigned rate = h.toUInt(56, false);
    const long long samples = h.toLongLong(64, false);
    if (format != 0 || channels < 1 || channels > kMaxChannels || rate == 0 || samples < 0)
        return false;
    info_.sample_rate = static_cast<int>(std::min(rate, 0x7fffffffU));
    info_.channels = static_cast<int>(channels);
    info_.length_ms = length_ms(static_cast<double>(samples), rate);
    info_.bitrate_kbps = kbps(static_cast<double>(rate) * channels);
    info_.bit_depth = 1;
    if (metadata > 0 && metadata < length()) read_tag_at(static_cast<long>(metadata));
    return true;
}

// DSDIFF (Philips, big-endian): "FRM8" <size> "DSD " then chunks: PROP ("SND ": FS, CHNL,
// CMPR), the sound data ("DSD ", or "DST " with its frame count and rate in FRTE), and often an
// "ID3 " chunk (not in the standard, written by most tools).
bool DsdAdtsFile::read_dff() {
    seek(0);
    const ByteVector h = readBlock(16);
    if (h.size() < 16 || !h.startsWith("FRM8") || !h.containsAt("DSD ", 12)) return false;
    const long long file_end = length();
    // Sizes are 64-bit fields: each is clamped to what the file holds before any addition.
    const long long declared = h.toLongLong(4, true);
    const long long form_end = declared < 0 || declared > file_end - 12 ? file_end : 12 + declared;
    long long pos = 16;
    unsigned rate = 0, channels = 0, dst_frames = 0, dst_rate = 0;
    long long dsd_bytes = -1, dst_bytes = 0;
    for (int chunks = 0; pos + 12 <= form_end && chunks < kMaxDffChunks; ++chunks) {
        seek(static_cast<long>(pos));
        const ByteVector c = readBlock(12);
        if (c.size() < 12 || !chunk_id(c)) break;  // zeros or garbage: no more chunks
        long long size = c.toLongLong(4, true);
        const long long data = pos + 12;
        if (size < 0) break;
        size = std::min(size, form_end - data);  // a truncated last chunk
        const long long available = size;
        if (c.startsWith("PROP")) {
            const ByteVector p = readBlock(static_cast<unsigned long>(std::min(available, 4096LL)));
            if (!p.startsWith("SND ")) return false;
            for (unsigned i = 4; i + 12 <= p.size();) {
                const long long sub = p.toLongLong(i + 4, true);
                if (sub < 0 || sub > static_cast<long long>(p.size())) break;
                if (p.containsAt("FS  ", i) && i + 16 <= p.size()) rate = p.toUInt(i + 12, true);
                if (p.containsAt("CHNL", i) && i + 14 <= p.size())
                    channels = p.toUShort(i + 12, true);
                i += static_cast<unsigned>(12 + sub + (sub & 1));
            }
        } else if (c.startsWith("DSD ")) {
            dsd_bytes = available;
        } else if (c.startsWith("DST ")) {
            const ByteVector f = readBlock(18);
            dst_bytes = available;
            if (f.size() == 18 && f.startsWith("FRTE")) {
                dst_frames = f.toUInt(12, true);
                dst_rate = f.toUShort(16, true);
            }
        } else if (c.startsWith("ID3 ")) {
            read_tag_at(static_cast<long>(data));
        }
        pos = data + size + (size & 1);
    }
    if (rate == 0 || channels < 1 || channels > kMaxChannels) return false;
    if (dsd_bytes < 0 && dst_frames == 0) return false;
    info_.sample_rate = static_cast<int>(std::min(rate, 0x7fffffffU));
    info_.channels = static_cast<int>(channels);
    info_.bit_depth = 1;
    if (dsd_bytes >= 0) {
        info_.length_ms = length_ms(static_cast<double>(dsd_bytes) * 8 / channels, rate);
        info_.bitrate_kbps = kbps(static_cast<double>(rate) * channels);
    } else {
        info_.length_ms = length_ms(dst_frames, dst_rate);
        if (info_.length_ms > 0)
            info_.bitrate_kbps = kbps(static_cast<double>(dst_bytes) * 8 * 1000 /
                                      static_cast<double>(info_.length_ms));
    }
    return true;
}

// ADTS AAC: an optional ID3v2 tag, then frames, each with its own header. The frames are walked
// for an exact length (and two must agree before a file counts as ADTS).
bool DsdAdtsFile::read_adts() {
    const long start = after_leading_id3v2(this);
    const long file_end = length();
    ByteVector buf;
    long buf_start = 0;
    long pos = start, walked = 0, frames = 0;
    double blocks = 0;
    std::optional<AdtsHeader> first;
    while (pos + 7 <= file_end && pos - start < kMaxAdtsWalk) {
        if (pos < buf_start || pos + 7 > buf_start + static_cast<long>(buf.size())) {
            seek(pos);
            buf = readBlock(64 * 1024);
            buf_start = pos;
            if (buf.size() < 7) break;
        }
        auto frame =
            adts_header(reinterpret_cast<const unsigned char*>(buf.data()) + (pos - buf_start));
        if (!frame || pos + frame->frame_length > file_end) break;
        if (first && (frame->sample_rate != first->sample_rate)) break;
        if (!first) first = frame;
        ++frames;
        blocks += frame->blocks;
        walked += frame->frame_length;
        pos += frame->frame_length;
    }
    if (!first || (frames < 2 && pos != file_end)) return false;
    if (pos - start >= kMaxAdtsWalk) {  // extrapolate the rest from the average frame
        blocks *= static_cast<double>(file_end - start) / static_cast<double>(walked);
        walked = file_end - start;
    }
    info_.sample_rate = first->sample_rate;
    info_.channels = first->channels;
    info_.length_ms = length_ms(blocks * 1024, first->sample_rate);
    if (info_.length_ms > 0)
        info_.bitrate_kbps =
            kbps(static_cast<double>(walked) * 8 * 1000 / static_cast<double>(info_.length_ms));
    if (start > 0) read_tag_at(0);
    return true;
}

}  // namespace sonique::scanner::taglib_extras
