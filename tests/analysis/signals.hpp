#pragma once
// Test signals with known answers, made by the real ffmpeg from its lavfi sources, in a
// temporary directory removed with the object.
#include <string>

namespace sonique::test {

class SignalDir {
  public:
    SignalDir();
    ~SignalDir();
    SignalDir(const SignalDir&) = delete;
    const std::string& path() const noexcept { return dir_; }

    // Renders the lavfi source graph `source` (e.g. "sine=f=440:d=5") into `name` (its extension
    // picks the format) with extra output arguments; returns the file's path. Throws
    // std::runtime_error when ffmpeg fails.
    std::string make(const std::string& name, const std::string& source,
                     const std::string& output_args = "") const;

  private:
    std::string dir_;
};

struct FfmpegLoudness {
    double integrated = 0;  // LUFS
    double true_peak = 0;   // dBFS
};
// Integrated loudness and true peak of a file as ffmpeg's own ebur128 filter measures them.
// Throws std::runtime_error when ffmpeg fails or prints no summary.
FfmpegLoudness ffmpeg_loudness(const std::string& file);

}  // namespace sonique::test
