#pragma once
// Streaming decode of one file's first audio stream. Each decoded block is handed on twice, both
// times as interleaved float in the file's own channels: at the file's own rate (the true peak
// needs it) and at kAnalysisRate (the loudness meter, and the mono mix every other feature
// reads). Nothing is kept between blocks, so memory does not grow with the file's length. One
// thread.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "av_handles.hpp"

namespace sonique::analysis {

class Decoder {
  public:
    // Opens path and its first audio stream. Throws AnalysisError when there is none or when
    // no decoder exists for it.
    explicit Decoder(const std::string& path);
    ~Decoder() { av_channel_layout_uninit(&in_layout_); }
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

    // The stream's duration in seconds, 0 when the container does not say.
    double duration_seconds() const noexcept;

    // Starts decoding at `seconds` (best effort: a file that cannot seek is decoded from its
    // start and the samples before are dropped). Call before run().
    void start_at(double seconds);

    // rate and channels are those of the first decoded frame and stay the same for the run.
    using NativeSink =
        std::function<void(const float* interleaved, size_t frames, int channels, int rate)>;
    // The same channels at kAnalysisRate.
    using LowSink = std::function<void(const float* interleaved, size_t frames, int channels)>;
    // Decodes until the end or until `max_seconds` of audio (0: no limit) were handed on.
    // A damaged packet is skipped; a file that yields nothing at all throws AnalysisError.
    void run(double max_seconds, const NativeSink& native, const LowSink& low);

  private:
    void set_up_converters(const AVFrame* frame);
    void convert(AVFrame* frame, const NativeSink& native, const LowSink& low);
    bool receive_frames(AVFrame* frame, const NativeSink& native, const LowSink& low);

    FormatContextPtr format_;
    CodecContextPtr codec_;
    SwrContextPtr to_native_;
    SwrContextPtr to_low_;
    int stream_ = -1;
    int out_rate_ = 0;      // native rate of the run (the first frame's)
    int out_channels_ = 0;  // native channels of the run
    AVChannelLayout in_layout_{};
    int in_rate_ = 0;
    int in_format_ = -1;
    size_t frames_handed_ = 0;
    double skip_seconds_ = 0;    // samples still to drop when a seek was not possible
    double handed_seconds_ = 0;  // of native audio handed on so far
    double limit_seconds_ = 0;
    std::vector<float> native_buf_;
    std::vector<float> low_buf_;
};

}  // namespace sonique::analysis
