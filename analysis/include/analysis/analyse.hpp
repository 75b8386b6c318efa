#pragma once
// In-process analysis of one audio file. Callers that face untrusted files use the isolated
// form (isolated.hpp), which runs this in a child process.
#include <stdexcept>
#include <string>

#include "analysis/features.hpp"

namespace sonique::analysis {

// The rate every file is decoded to (mono float). 22,050 Hz keeps everything up to 11 kHz,
// where timbre, harmony and rhythm live, at half the work of 44.1 kHz (docs/analysis.md).
inline constexpr int kAnalysisRate = 22050;

struct AnalysisOptions {
    // Seconds of audio analysed per track, taken from the middle of the track; 0 analyses the
    // whole track. The default is the measured trade-off recorded in docs/analysis.md.
    double excerpt_seconds = 0;
};

// A file that cannot be analysed (no audio stream, undecodable, no samples). The message is a
// short reason meant to be stored with the file.
class AnalysisError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Decodes path and computes its features, streaming: memory does not grow with the file's
// length. Throws AnalysisError for a file it cannot analyse. Any thread; calls on different
// threads are independent (FFTW's planner is serialised inside).
TrackFeatures analyse_file(const std::string& path, const AnalysisOptions& options = {});

}  // namespace sonique::analysis
