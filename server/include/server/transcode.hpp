#pragma once
// Transcoded audio answers (Subsonic stream; docs/subsonic.md): one ffmpeg child per stream
// (server/child_process.hpp) reading the already opened and checked file, its output sent as it
// comes (chunked), or as exactly an announced number of bytes. A bounded number run at once.
#include <httplib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "services/stream.hpp"

namespace sonique::server {

enum class TranscodeFormat { kOpus, kMp3, kAac };

struct TranscodePlan {
    TranscodeFormat format = TranscodeFormat::kOpus;
    int bit_rate_kbps = 128;
    int64_t offset_s = 0;  // where the output starts in the song (-ss before -i)
};

// "opus", "mp3", "aac" (exact, lower case); nullopt otherwise. Any thread.
std::optional<TranscodeFormat> parse_transcode_format(std::string_view name);
// The answer's Content-Type: audio/ogg (Opus in Ogg), audio/mpeg, audio/aac (ADTS).
const char* transcode_mime_type(TranscodeFormat format);
// The bit rate used when nothing caps it: Opus 128, MP3 192, AAC 192 kbit/s.
int default_bit_rate(TranscodeFormat format);
// The lowest and highest bit rates the encoders are asked for (a cap below the lowest gets the
// lowest: 32 kbit/s, the smallest Subsonic value).
int min_bit_rate(TranscodeFormat format);
int max_bit_rate(TranscodeFormat format);

// ffmpeg's arguments for a plan; the input is the child's descriptor 3 (file:/dev/fd/3), so no
// path and nothing from the client is ever read as an option. Any thread.
std::vector<std::string> ffmpeg_arguments(const TranscodePlan& plan);

// Bytes announced for estimateContentLength: (duration - offset) x bit rate / 8, at least 0.
int64_t estimated_length(int64_t duration_s, const TranscodePlan& plan);

// A bounded count of transcodes at once. Thread-safe.
class TranscodeSlots {
    struct State {
        explicit State(int l) : limit(l) {}
        const int limit;
        std::atomic<int> in_use{0};
    };

  public:
    explicit TranscodeSlots(int limit) : state_(std::make_shared<State>(limit)) {}
    // Held by a running transcode; released on destruction (or when moved from, by the target).
    class Slot {
      public:
        Slot(Slot&&) noexcept = default;
        Slot& operator=(Slot&&) noexcept = delete;
        ~Slot() {
            if (state_) state_->in_use.fetch_sub(1);
        }

      private:
        friend class TranscodeSlots;
        explicit Slot(std::shared_ptr<State> state) : state_(std::move(state)) {}
        std::shared_ptr<State> state_;  // the count outlives every slot
    };
    // A slot, or nullopt at once when `limit` transcodes run. Never waits.
    std::optional<Slot> try_acquire() {
        if (state_->in_use.fetch_add(1) >= state_->limit) {
            state_->in_use.fetch_sub(1);
            return std::nullopt;
        }
        return Slot(state_);
    }
    int in_use() const noexcept { return state_->in_use.load(); }
    int limit() const noexcept { return state_->limit; }

  private:
    std::shared_ptr<State> state_;
};

// Starts ffmpeg on `audio` and makes `res` send its output: chunked, or exactly content_length
// bytes when given (the output cut there, or padded with zero bytes: what players expect of an
// estimate, as Navidrome and Airsonic do). The child is killed and reaped as soon as the client
// goes away, the output ends or the response is dropped; the slot is released with it. Throws
// std::system_error when ffmpeg cannot be started (nothing is sent then). The thread serving the
// request.
void send_transcoded(httplib::Response& res, const services::AudioFile& audio,
                     const TranscodePlan& plan, TranscodeSlots::Slot slot,
                     std::optional<int64_t> content_length);

}  // namespace sonique::server
