#include "stft.hpp"

#include <cmath>
#include <mutex>
#include <new>
#include <numbers>

namespace sonique::analysis {
namespace {

// FFTW's planner is not thread-safe; executing a plan is.
std::mutex planner_mutex;

}  // namespace

Stft::Stft() : window_(kFrameSize), power_(kBins) {
    for (size_t i = 0; i < kFrameSize; ++i)  // periodic Hann
        window_[i] = 0.5f - 0.5f * std::cos(2.0f * std::numbers::pi_v<float> * i / kFrameSize);
    std::lock_guard lock(planner_mutex);
    in_.reset(static_cast<float*>(fftwf_malloc(sizeof(float) * kFrameSize)));
    out_.reset(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * kBins)));
    if (!in_ || !out_) throw std::bad_alloc();
    // FFTW_ESTIMATE: planning costs microseconds, and every child process plans anew.
    plan_.reset(
        fftwf_plan_dft_r2c_1d(static_cast<int>(kFrameSize), in_.get(), out_.get(), FFTW_ESTIMATE));
    if (!plan_) throw std::bad_alloc();
    pending_.reserve(2 * kFrameSize);
}

void Stft::transform(const FrameSink& sink) {
    float* in = in_.get();
    for (size_t i = 0; i < kFrameSize; ++i)
        in[i] = pending_[i] * window_[i];
    fftwf_execute(plan_.get());
    const fftwf_complex* out = out_.get();
    for (size_t k = 0; k < kBins; ++k)
        power_[k] = out[k][0] * out[k][0] + out[k][1] * out[k][1];
    ++frames_;
    sink(power_.data());
}

void Stft::push(const float* samples, size_t count, const FrameSink& sink) {
    while (count > 0) {
        size_t take = std::min(count, kFrameSize - std::min(pending_.size(), kFrameSize));
        pending_.insert(pending_.end(), samples, samples + take);
        samples += take;
        count -= take;
        while (pending_.size() >= kFrameSize) {
            transform(sink);
            pending_.erase(pending_.begin(), pending_.begin() + kHop);
        }
    }
}

void Stft::finish(const FrameSink& sink) {
    // Only a stream shorter than one frame needs padding: otherwise what is left is less than
    // one frame past the last transformed one, too little to change the statistics.
    if (frames_ > 0 || pending_.empty()) return;
    pending_.resize(kFrameSize, 0.0f);
    transform(sink);
    pending_.clear();
}

}  // namespace sonique::analysis
