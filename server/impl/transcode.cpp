// Transcoded answers (server/transcode.hpp): ffmpeg's arguments, and its output streamed by a
// content provider that owns the child.
//
// A transcode holds one HTTP worker thread while it streams, as a file stream does; the child's
// stdout pipe (64 KiB) and the socket's buffer bound what ffmpeg runs ahead of the client: once
// both are full, ffmpeg blocks in its write and uses no CPU.
#include "server/transcode.hpp"

#include <algorithm>
#include <cstring>

#include "core/log.hpp"
#include "core/thread_priority.hpp"
#include "server/child_process.hpp"

namespace sonique::server {
namespace {

constexpr size_t kChunk = 64 * 1024;
// ffmpeg seeks and starts within a second; a child silent this long is stuck (a file that
// stalls on a dying disk): the stream ends rather than hold a thread and a slot for ever.
constexpr int kReadTimeoutMs = 30000;

struct Running {
    Running(const ChildOptions& options, TranscodeSlots::Slot s)
        : child(options), slot(std::move(s)) {}
    ChildProcess child;
    TranscodeSlots::Slot slot;
    bool ended = false;  // the child's output is over: pad from here on
};

}  // namespace

std::optional<TranscodeFormat> parse_transcode_format(std::string_view name) {
    if (name == "opus") return TranscodeFormat::kOpus;
    if (name == "mp3") return TranscodeFormat::kMp3;
    if (name == "aac") return TranscodeFormat::kAac;
    return std::nullopt;
}

const char* transcode_mime_type(TranscodeFormat format) {
    switch (format) {
        case TranscodeFormat::kOpus:
            return "audio/ogg";
        case TranscodeFormat::kMp3:
            return "audio/mpeg";
        case TranscodeFormat::kAac:
            return "audio/aac";
    }
    return "application/octet-stream";
}

int default_bit_rate(TranscodeFormat format) {
    return format == TranscodeFormat::kOpus ? 128 : 192;
}

int min_bit_rate(TranscodeFormat) {
    return 32;
}

int max_bit_rate(TranscodeFormat format) {
    // libopus gains nothing audible past 256 kbit/s in stereo; MP3 stops at 320.
    return format == TranscodeFormat::kOpus ? 256 : 320;
}

std::vector<std::string> ffmpeg_arguments(const TranscodePlan& plan) {
    std::vector<std::string> a{"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"};
    // Before -i: a fast seek on the input (exact to the frame with ffmpeg >= 2.1).
    if (plan.offset_s > 0) a.insert(a.end(), {"-ss", std::to_string(plan.offset_s)});
    // The server's own descriptor 3 (the checked file), reopened by ffmpeg so it can seek.
    a.insert(a.end(), {"-i", "file:/dev/fd/3", "-map", "0:a:0", "-vn", "-sn", "-dn",
                       "-map_metadata", "-1", "-ac", "2"});
    const std::string rate = std::to_string(plan.bit_rate_kbps) + "k";
    switch (plan.format) {
        case TranscodeFormat::kOpus:
            // Constrained VBR: the rate asked for is a ceiling a client can rely on.
            a.insert(a.end(),
                     {"-c:a", "libopus", "-b:a", rate, "-vbr", "constrained", "-f", "ogg"});
            break;
        case TranscodeFormat::kMp3:
            a.insert(a.end(), {"-c:a", "libmp3lame", "-b:a", rate, "-f", "mp3"});
            break;
        case TranscodeFormat::kAac:
            a.insert(a.end(), {"-c:a", "aac", "-b:a", rate, "-f", "adts"});
            break;
    }
    a.emplace_back("pipe:1");
    return a;
}

int64_t estimated_length(int64_t duration_s, const TranscodePlan& plan) {
    const int64_t seconds = std::max<int64_t>(0, duration_s - plan.offset_s);
    return seconds * plan.bit_rate_kbps * 1000 / 8;
}

void send_transcoded(httplib::Response& res, const services::AudioFile& audio,
                     const TranscodePlan& plan, TranscodeSlots::Slot slot,
                     std::optional<int64_t> content_length) {
    ChildOptions options;
    options.argv = ffmpeg_arguments(plan);
    options.input_fd = audio.file->fd();
    auto run = std::make_shared<Running>(options, std::move(slot));
    const char* mime = transcode_mime_type(plan.format);
    res.status = 200;
    res.set_header("Accept-Ranges", "none");
    res.set_header("Cache-Control", "no-store");
    // Called on this thread once the response is over, whatever way: the child goes at once.
    auto release = [run](bool) {
        run->child.kill();
        thread_priority::restore();
    };
    if (!content_length) {
        res.set_chunked_content_provider(
            mime,
            [run](size_t, httplib::DataSink& sink) {
                thread_priority::lower();
                char buffer[kChunk];
                long n = run->child.read(buffer, sizeof buffer, kReadTimeoutMs);
                if (n < 0) return false;  // stuck or failed: abort the connection
                if (n == 0) {
                    run->child.kill();
                    sink.done();
                    return true;
                }
                return sink.write(buffer, static_cast<size_t>(n));
            },
            release);
        return;
    }
    if (*content_length == 0) {
        res.set_content("", mime);
        return;  // `run` goes with this frame: the child is killed now
    }
    res.set_content_provider(
        static_cast<size_t>(*content_length), mime,
        [run](size_t, size_t length, httplib::DataSink& sink) {
            thread_priority::lower();
            char buffer[kChunk];
            const size_t want = std::min(length, kChunk);
            long n = 0;
            if (!run->ended) {
                n = run->child.read(buffer, want, kReadTimeoutMs);
                if (n < 0) return false;
                if (n == 0) {
                    run->ended = true;
                    run->child.kill();
                }
            }
            if (n == 0) {  // the output is shorter than announced: zero bytes up to the length
                std::memset(buffer, 0, want);
                n = static_cast<long>(want);
            }
            return sink.write(buffer, static_cast<size_t>(n));
        },
        release);
}

}  // namespace sonique::server
