#include "wire.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace sonique::scanner::wire {
namespace {

constexpr uint32_t kNull = 0xFFFFFFFFu;
constexpr uint32_t kMaxFrame = 256u << 20;

class Out {
  public:
    void u32(uint32_t v) { buf.append(reinterpret_cast<const char*>(&v), 4); }
    void str(std::string_view s) {
        u32(static_cast<uint32_t>(s.size()));
        buf.append(s);
    }
    void opt(const OptStr& s) { s ? str(*s) : u32(kNull); }
    void num(const std::optional<double>& d) {
        u32(d ? 1 : 0);
        if (d) dbl(*d);
    }
    void num(const std::optional<int>& d) {
        u32(d ? 1 : 0);
        if (d) u32(static_cast<uint32_t>(*d));
    }
    void dbl(double d) { buf.append(reinterpret_cast<const char*>(&d), 8); }
    void list(const std::vector<std::string>& v) {
        u32(static_cast<uint32_t>(v.size()));
        for (const auto& s : v)
            str(s);
    }
    std::string buf;
};

class In {
  public:
    explicit In(std::string_view d) : d_(d) {}
    uint32_t u32() {
        need(4);
        uint32_t v;
        std::memcpy(&v, d_.data() + pos_, 4);
        pos_ += 4;
        return v;
    }
    double dbl() {
        need(8);
        double v;
        std::memcpy(&v, d_.data() + pos_, 8);
        pos_ += 8;
        return v;
    }
    OptStr opt() {
        uint32_t n = u32();
        if (n == kNull) return std::nullopt;
        need(n);
        std::string s(d_.substr(pos_, n));
        pos_ += n;
        return s;
    }
    std::string str() { return opt().value_or(""); }
    std::optional<double> optd() {
        if (u32() == 0) return std::nullopt;
        return dbl();
    }
    std::optional<int> opti() {
        if (u32() == 0) return std::nullopt;
        return static_cast<int>(u32());
    }
    std::vector<std::string> list() {
        uint32_t n = u32();
        if (n > d_.size()) throw WireError("bad list length");
        std::vector<std::string> v;
        v.reserve(n);
        for (uint32_t i = 0; i < n; ++i)
            v.push_back(str());
        return v;
    }

  private:
    void need(size_t n) {
        if (pos_ + n > d_.size()) throw WireError("truncated frame");
    }
    std::string_view d_;
    size_t pos_ = 0;
};

void put_entry(Out& o, const FileEntry& e) {
    o.str(e.path);
    o.dbl(static_cast<double>(e.size));
    o.dbl(e.mtime);
    o.str(e.sidecar);
    o.num(e.sidecar_mtime);
}

FileEntry get_entry(In& in) {
    FileEntry e;
    e.path = in.str();
    e.size = static_cast<int64_t>(in.dbl());
    e.mtime = in.dbl();
    e.sidecar = in.str();
    e.sidecar_mtime = in.optd();
    return e;
}

void put_cover(Out& o, const std::optional<CoverImage>& c) {
    o.u32(c ? 1 : 0);
    if (!c) return;
    o.str(c->sha256);
    o.str(c->mime_type);
    o.u32(static_cast<uint32_t>(c->width));
    o.u32(static_cast<uint32_t>(c->height));
    o.str(c->data);
}

std::optional<CoverImage> get_cover(In& in) {
    if (in.u32() == 0) return std::nullopt;
    CoverImage c;
    c.sha256 = in.str();
    c.mime_type = in.str();
    c.width = static_cast<int>(in.u32());
    c.height = static_cast<int>(in.u32());
    c.data = in.str();
    return c;
}

// The wire order of TrackInfo's optional fields, shared by put_track and get_track so that
// the two can never disagree. Track is TrackInfo or const TrackInfo.
template <typename Track, typename Fn>
void each_text(Track& t, Fn fn) {
    for (auto* s : {&t.track_number,
                    &t.disc_number,
                    &t.date,
                    &t.original_date,
                    &t.key,
                    &t.scale,
                    &t.mb_track,
                    &t.mb_recording,
                    &t.mb_album,
                    &t.mb_album_artist,
                    &t.mb_release_group,
                    &t.acoustid,
                    &t.isrc,
                    &t.composer,
                    &t.comment,
                    &t.lyrics,
                    &t.title_sort,
                    &t.artist_sort,
                    &t.album_sort,
                    &t.album_artist_sort})
        fn(*s);
}
template <typename Track, typename Fn>
void each_int(Track& t, Fn fn) {
    for (auto* n : {&t.track_total, &t.disc_total, &t.duration, &t.bitrate, &t.sample_rate,
                    &t.channels, &t.bit_depth})
        fn(*n);
}
template <typename Track, typename Fn>
void each_real(Track& t, Fn fn) {
    for (auto* d : {&t.bpm, &t.danceability, &t.mood_happy, &t.mood_aggressive, &t.mood_party,
                    &t.mood_relaxed, &t.instrumental, &t.acoustic, &t.tonal, &t.rg_track_gain,
                    &t.rg_track_peak, &t.rg_album_gain, &t.rg_album_peak})
        fn(*d);
}

void put_track(Out& o, const TrackInfo& t) {
    put_entry(o, t.file);
    o.str(t.title);
    o.list(t.artists);
    o.list(t.artist_mbids);
    o.str(t.album_artist);
    o.opt(t.album);
    o.u32(t.compilation ? 1 : 0);
    each_text(t, [&](const OptStr& s) { o.opt(s); });
    each_int(t, [&](const auto& n) { o.num(n); });
    each_real(t, [&](const auto& d) { o.num(d); });
    o.list(t.genres);
    o.list(t.moods);
    o.str(t.mime_type);
    o.str(t.cover_source);
    o.str(t.artist_image_source);
    put_cover(o, t.album_cover);
    put_cover(o, t.artist_image);
}

TrackInfo get_track(In& in) {
    TrackInfo t;
    t.file = get_entry(in);
    t.title = in.str();
    t.artists = in.list();
    t.artist_mbids = in.list();
    t.album_artist = in.str();
    t.album = in.opt();
    t.compilation = in.u32() != 0;
    each_text(t, [&](OptStr& s) { s = in.opt(); });
    each_int(t, [&](auto& n) { n = in.opti(); });
    each_real(t, [&](auto& d) { d = in.optd(); });
    t.genres = in.list();
    t.moods = in.list();
    t.mime_type = in.str();
    t.cover_source = in.str();
    t.artist_image_source = in.str();
    t.album_cover = get_cover(in);
    t.artist_image = get_cover(in);
    return t;
}

}  // namespace

std::string encode_entry(const FileEntry& e) {
    Out o;
    put_entry(o, e);
    return std::move(o.buf);
}

FileEntry decode_entry(std::string_view frame) {
    In in(frame);
    return get_entry(in);
}

std::string encode_outcome(const ReadOutcome& r) {
    Out o;
    o.str(r.error);
    o.u32(r.transient ? 1 : 0);
    o.u32(static_cast<uint32_t>(r.warnings.size()));
    for (const auto& w : r.warnings) {
        o.str(w.path);
        o.str(w.reason);
    }
    o.u32(r.track ? 1 : 0);
    if (r.track) put_track(o, *r.track);
    return std::move(o.buf);
}

ReadOutcome decode_outcome(std::string_view frame) {
    In in(frame);
    ReadOutcome r;
    r.error = in.str();
    r.transient = in.u32() != 0;
    uint32_t n = in.u32();
    if (n > frame.size()) throw WireError("bad warning count");
    for (uint32_t i = 0; i < n; ++i) {
        FileWarning w;
        w.path = in.str();
        w.reason = in.str();
        r.warnings.push_back(std::move(w));
    }
    if (in.u32() != 0) r.track = get_track(in);
    return r;
}

namespace {
bool write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}
}  // namespace

bool write_frame(int fd, std::string_view payload) {
    uint32_t n = static_cast<uint32_t>(payload.size());
    std::string buf(reinterpret_cast<const char*>(&n), 4);
    buf.append(payload);
    return write_all(fd, buf.data(), buf.size());
}

namespace {
constexpr size_t kReadChunk = 64 * 1024;

// The length in the frame header at p (at least 4 bytes there).
uint32_t frame_length(const char* p) {
    uint32_t n = 0;
    std::memcpy(&n, p, 4);
    return n;
}
}  // namespace

// A broken header counts as ready: next() reports it, where its caller handles WireError.
bool FrameReader::has_frame() const {
    size_t left = buf_.size() - pos_;
    if (left < 4) return false;
    uint32_t n = frame_length(buf_.data() + pos_);
    return n > kMaxFrame || left - 4 >= n;
}

bool FrameReader::fill() {
    if (pos_ > 0 && pos_ * 2 >= buf_.size()) {  // drop what was read, keep the rest
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    size_t old = buf_.size();
    buf_.resize(old + kReadChunk);
    ssize_t r;
    do {
        r = ::read(fd_, buf_.data() + old, kReadChunk);
    } while (r < 0 && errno == EINTR);
    buf_.resize(old + static_cast<size_t>(std::max<ssize_t>(r, 0)));
    if (r < 0) throw WireError(pos_ == buf_.size() ? "broken frame header" : "truncated frame");
    return r > 0;
}

bool FrameReader::next(std::string& payload) {
    while (!has_frame()) {
        if (!fill()) {
            if (pos_ == buf_.size()) return false;
            throw WireError(buf_.size() - pos_ < 4 ? "broken frame header" : "truncated frame");
        }
    }
    uint32_t n = frame_length(buf_.data() + pos_);
    if (n > kMaxFrame) throw WireError("broken frame header");
    payload.assign(buf_, pos_ + 4, n);
    pos_ += 4 + n;
    return true;
}

}  // namespace sonique::scanner::wire
