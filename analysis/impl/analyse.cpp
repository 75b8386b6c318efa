#include "analysis/analyse.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "decoder.hpp"
#include "harmony.hpp"
#include "loudness.hpp"
#include "mel.hpp"
#include "rhythm.hpp"
#include "spectral_features.hpp"
#include "stereo.hpp"
#include "stft.hpp"

namespace sonique::analysis {
namespace {

// Timbre, spectral shape and chroma are means and spreads over a track: every other frame
// (a 23 ms hop, frames still overlapping 8-fold) gives the same statistics for half the work.
// The onset envelope of the rhythm keeps every frame: its 11.6 ms resolution sets the tempo's.
constexpr size_t kFeatureStride = 2;

// The mean of the channels: every feature but the loudness reads one signal.
void mono_mix(const float* interleaved, size_t frames, int channels, std::vector<float>& out) {
    out.resize(frames);
    if (channels == 1) {
        std::copy(interleaved, interleaved + frames, out.begin());
        return;
    }
    const float scale = 1.0f / static_cast<float>(channels);
    const auto n = static_cast<size_t>(channels);
    for (size_t i = 0; i < frames; ++i) {
        float sum = 0;
        for (size_t c = 0; c < n; ++c)
            sum += interleaved[i * n + c];
        out[i] = sum * scale;
    }
}

}  // namespace

TrackFeatures analyse_file(const std::string& path, const AnalysisOptions& options) {
    Decoder decoder(path);
    double excerpt = options.excerpt_seconds;
    double duration = decoder.duration_seconds();
    if (excerpt > 0 && duration > excerpt) decoder.start_at((duration - excerpt) / 2);

    Stft stft;
    MelBank mel;
    SpectralFeatures spectral;
    Harmony harmony;
    Rhythm rhythm;
    LoudnessMeter loudness;
    StereoWidth stereo;
    std::array<float, kMelBands> mel_db{};
    size_t mono_samples = 0, frame_index = 0;
    auto on_frame = [&](const float* power) {
        mel.apply(power, mel_db);
        rhythm.add(mel_db);
        if (frame_index++ % kFeatureStride != 0) return;
        spectral.add(power, mel_db);
        harmony.add(power);
    };
    std::vector<float> mono;
    decoder.run(
        excerpt,
        [&](const float* interleaved, size_t frames, int channels, int rate) {
            loudness.add_native(interleaved, frames, channels, rate);
        },
        [&](const float* interleaved, size_t frames, int channels) {
            loudness.add(interleaved, frames, channels);
            stereo.add(interleaved, frames, channels);
            mono_mix(interleaved, frames, channels, mono);
            mono_samples += frames;
            stft.push(mono.data(), frames, on_frame);
        });
    stft.finish(on_frame);

    TrackFeatures result;
    spectral.write(result.values);
    harmony.write(result.values);
    rhythm.write(result.values);
    loudness.write(result.values);
    stereo.write(result.values);
    result.seconds_analysed = static_cast<double>(mono_samples) / kAnalysisRate;
    return result;
}

}  // namespace sonique::analysis
