#include "analysis/analyse.hpp"

#include <array>

#include "decoder.hpp"
#include "harmony.hpp"
#include "loudness.hpp"
#include "mel.hpp"
#include "rhythm.hpp"
#include "spectral_features.hpp"
#include "stft.hpp"

namespace sonique::analysis {
namespace {

// Timbre, spectral shape and chroma are means and spreads over a track: every other frame
// (a 23 ms hop, frames still overlapping 8-fold) gives the same statistics for half the work.
// The onset envelope of the rhythm keeps every frame: its 11.6 ms resolution sets the tempo's.
constexpr size_t kFeatureStride = 2;

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
    std::array<float, kMelBands> mel_db{};
    size_t mono_samples = 0, frame_index = 0;
    auto on_frame = [&](const float* power) {
        mel.apply(power, mel_db);
        rhythm.add(mel_db);
        if (frame_index++ % kFeatureStride != 0) return;
        spectral.add(power, mel_db);
        harmony.add(power);
    };
    decoder.run(
        excerpt,
        [&](const float* interleaved, size_t frames, int channels, int rate) {
            loudness.add(interleaved, frames, channels, rate);
        },
        [&](const float* mono, size_t count) {
            mono_samples += count;
            stft.push(mono, count, on_frame);
        });
    stft.finish(on_frame);

    TrackFeatures result;
    spectral.write(result.values);
    harmony.write(result.values);
    rhythm.write(result.values);
    loudness.write(result.values);
    result.seconds_analysed = static_cast<double>(mono_samples) / kAnalysisRate;
    return result;
}

}  // namespace sonique::analysis
