#pragma once
// Short-time power spectra of a mono stream: Hann-windowed frames of kFrameSize samples every
// kHop samples, transformed with FFTW. Samples arrive in blocks of any size; only one frame is
// kept, so memory does not grow with the stream. One thread.
#include <fftw3.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace sonique::analysis {

// 2048 samples at 22,050 Hz: 93 ms, 10.8 Hz per bin, fine enough to tell semitones apart from
// about 90 Hz up (chroma). A hop of 256 (11.6 ms) gives the onset envelope 86 values per
// second, so that a tempo lag is resolved to about 0.3 BPM at 120 BPM.
inline constexpr size_t kFrameSize = 2048;
inline constexpr size_t kHop = 256;
inline constexpr size_t kBins = kFrameSize / 2 + 1;

struct FftwPlanDeleter {
    void operator()(fftwf_plan_s* p) const noexcept { fftwf_destroy_plan(p); }
};
struct FftwBufferDeleter {
    void operator()(void* p) const noexcept { fftwf_free(p); }
};
using FftwPlanPtr = std::unique_ptr<fftwf_plan_s, FftwPlanDeleter>;

class Stft {
  public:
    using FrameSink = std::function<void(const float* power)>;  // kBins values

    // Throws std::bad_alloc when FFTW cannot allocate its buffers or plan.
    Stft();
    // Feeds samples; calls sink once per complete frame.
    void push(const float* samples, size_t count, const FrameSink& sink);
    // Zero-pads what is left into a last frame (a file shorter than one frame still gives one).
    void finish(const FrameSink& sink);
    size_t frames() const noexcept { return frames_; }

  private:
    void transform(const FrameSink& sink);

    std::vector<float> window_;
    std::vector<float> pending_;  // the current frame's samples, fewer than kFrameSize + kHop
    std::unique_ptr<float, FftwBufferDeleter> in_;
    std::unique_ptr<fftwf_complex, FftwBufferDeleter> out_;
    FftwPlanPtr plan_;
    std::vector<float> power_;
    size_t frames_ = 0;
};

}  // namespace sonique::analysis
