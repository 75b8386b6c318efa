#include "decoder.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>

#include "analysis/analyse.hpp"

namespace sonique::analysis {
namespace {

std::string av_message(int err) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(err, buf, sizeof buf);
    return buf;
}

// A layout swr can work with: files that state only a channel count get the usual one.
AVChannelLayout usable_layout(const AVChannelLayout& in) {
    AVChannelLayout out{};
    if (in.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&in) == 0)
        av_channel_layout_default(&out, in.nb_channels);
    else
        av_channel_layout_copy(&out, &in);
    return out;
}

// By value: FFmpeg 5.1 takes the layouts as non-const pointers (it only reads them).
SwrContextPtr make_swr(AVChannelLayout out_layout, int out_rate, AVChannelLayout in_layout,
                       AVSampleFormat in_format, int in_rate) {
    SwrContext* raw = nullptr;
    int err = swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLT, out_rate, &in_layout,
                                  in_format, in_rate, 0, nullptr);
    SwrContextPtr swr(raw);
    if (err < 0 || !swr || (err = swr_init(swr.get())) < 0)
        throw AnalysisError("cannot convert the audio: " + av_message(err));
    return swr;
}

}  // namespace

Decoder::Decoder(const std::string& path) {
    static std::once_flag quiet;
    // FFmpeg's messages about damaged files would flood the log: a file that fails comes back
    // with its reason instead.
    std::call_once(quiet, [] { av_log_set_level(AV_LOG_QUIET); });
    AVFormatContext* raw = nullptr;
    // A local file only: a stored path such as "http://..." or "concat:..." must not make the
    // analysis fetch a URL or read other files.
    AVDictionary* options = nullptr;
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    std::string url = "file:" + path;
    int err = avformat_open_input(&raw, url.c_str(), nullptr, &options);
    av_dict_free(&options);
    if (err < 0) throw AnalysisError("cannot open: " + av_message(err));
    format_.reset(raw);
    if ((err = avformat_find_stream_info(format_.get(), nullptr)) < 0)
        throw AnalysisError("cannot read stream info: " + av_message(err));
    const AVCodec* codec = nullptr;
    stream_ = av_find_best_stream(format_.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (stream_ < 0 || !codec) throw AnalysisError("no decodable audio stream");
    codec_.reset(avcodec_alloc_context3(codec));
    if (!codec_) throw AnalysisError("out of memory");
    if (avcodec_parameters_to_context(codec_.get(), format_->streams[stream_]->codecpar) < 0)
        throw AnalysisError("bad codec parameters");
    codec_->thread_count = 1;  // the analysis runs beside playback: one core per file at most
    if ((err = avcodec_open2(codec_.get(), codec, nullptr)) < 0)
        throw AnalysisError("cannot open the decoder: " + av_message(err));
    for (unsigned i = 0; i < format_->nb_streams; ++i)
        if (static_cast<int>(i) != stream_) format_->streams[i]->discard = AVDISCARD_ALL;
}

double Decoder::duration_seconds() const noexcept {
    const AVStream* s = format_->streams[stream_];
    if (s->duration > 0 && s->time_base.den > 0) return s->duration * av_q2d(s->time_base);
    if (format_->duration > 0) return static_cast<double>(format_->duration) / AV_TIME_BASE;
    return 0;
}

void Decoder::start_at(double seconds) {
    if (seconds <= 0) return;
    auto ts = static_cast<int64_t>(seconds * AV_TIME_BASE);
    if (av_seek_frame(format_.get(), -1, ts, AVSEEK_FLAG_BACKWARD) >= 0)
        avcodec_flush_buffers(codec_.get());
    else
        skip_seconds_ = seconds;
}

void Decoder::set_up_converters(const AVFrame* frame) {
    AVChannelLayout in = usable_layout(frame->ch_layout);
    if (in.nb_channels <= 0 || frame->sample_rate <= 0) {
        av_channel_layout_uninit(&in);
        throw AnalysisError("audio without channels or sample rate");
    }
    if (out_rate_ == 0) {  // the first frame fixes the native format of the run
        out_rate_ = frame->sample_rate;
        out_channels_ = in.nb_channels;
    }
    AVChannelLayout native{};
    av_channel_layout_default(&native, out_channels_);
    auto fmt = static_cast<AVSampleFormat>(frame->format);
    try {
        to_native_ = make_swr(native, out_rate_, in, fmt, frame->sample_rate);
        to_low_ = make_swr(native, kAnalysisRate, in, fmt, frame->sample_rate);
    } catch (...) {
        av_channel_layout_uninit(&in);
        av_channel_layout_uninit(&native);
        throw;
    }
    // Compared with the next frames' own layouts: keep the frame's, not the one swr was given
    // (recreating the converters at every frame would drop their resampling delay each time).
    av_channel_layout_uninit(&in_layout_);
    av_channel_layout_copy(&in_layout_, &frame->ch_layout);
    av_channel_layout_uninit(&in);
    in_rate_ = frame->sample_rate;
    in_format_ = frame->format;
    av_channel_layout_uninit(&native);
}

void Decoder::convert(AVFrame* frame, const NativeSink& native, const LowSink& low) {
    if (frame->nb_samples <= 0) return;
    if (!to_native_ || frame->sample_rate != in_rate_ || frame->format != in_format_ ||
        av_channel_layout_compare(&frame->ch_layout, &in_layout_) != 0)
        set_up_converters(frame);
    double seconds = static_cast<double>(frame->nb_samples) / frame->sample_rate;
    if (skip_seconds_ > 0) {  // an unseekable file: drop what comes before the excerpt
        skip_seconds_ -= seconds;
        return;
    }
    const auto** in = const_cast<const uint8_t**>(frame->extended_data);
    int n = swr_get_out_samples(to_native_.get(), frame->nb_samples);
    native_buf_.resize(static_cast<size_t>(std::max(n, 0)) * out_channels_);
    auto* out = reinterpret_cast<uint8_t*>(native_buf_.data());
    int got = swr_convert(to_native_.get(), &out, n, in, frame->nb_samples);
    if (got > 0) native(native_buf_.data(), static_cast<size_t>(got), out_channels_, out_rate_);
    n = swr_get_out_samples(to_low_.get(), frame->nb_samples);
    low_buf_.resize(static_cast<size_t>(std::max(n, 0)) * out_channels_);
    out = reinterpret_cast<uint8_t*>(low_buf_.data());
    got = swr_convert(to_low_.get(), &out, n, in, frame->nb_samples);
    if (got > 0) low(low_buf_.data(), static_cast<size_t>(got), out_channels_);
    handed_seconds_ += seconds;
    frames_handed_ += static_cast<size_t>(frame->nb_samples);
}

// Hands on every frame the decoder has ready; false once the time limit is reached.
bool Decoder::receive_frames(AVFrame* frame, const NativeSink& native, const LowSink& low) {
    while (avcodec_receive_frame(codec_.get(), frame) >= 0) {
        convert(frame, native, low);
        av_frame_unref(frame);
        if (limit_seconds_ > 0 && handed_seconds_ >= limit_seconds_) return false;
    }
    return true;
}

void Decoder::run(double max_seconds, const NativeSink& native, const LowSink& low) {
    limit_seconds_ = max_seconds;
    PacketPtr packet(av_packet_alloc());
    FramePtr frame(av_frame_alloc());
    if (!packet || !frame) throw AnalysisError("out of memory");
    bool more = true;
    while (more && av_read_frame(format_.get(), packet.get()) >= 0) {
        if (packet->stream_index == stream_ && avcodec_send_packet(codec_.get(), packet.get()) >= 0)
            more = receive_frames(frame.get(), native, low);
        av_packet_unref(packet.get());  // a packet the decoder refuses is skipped
    }
    if (more && avcodec_send_packet(codec_.get(), nullptr) >= 0)
        receive_frames(frame.get(), native, low);
    if (frames_handed_ == 0) throw AnalysisError("no audio decoded");
}

}  // namespace sonique::analysis
