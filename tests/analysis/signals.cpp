#include "signals.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <stdexcept>

namespace sonique::test {
namespace {

// Runs a shell command and returns what it printed on stdout and stderr.
std::string run(const std::string& command, int& status) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("popen failed: " + command);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0)
        out.append(buf, n);
    status = ::pclose(pipe);
    return out;
}

std::string shell_quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

SignalDir::SignalDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sonique-signals.XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = tmpl;
}

SignalDir::~SignalDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string SignalDir::make(const std::string& name, const std::string& source,
                            const std::string& output_args) const {
    std::string file = dir_ + "/" + name;
    int status = 0;
    std::string out = run("ffmpeg -nostdin -hide_banner -loglevel error -y -f lavfi -i " +
                              shell_quoted(source) + " " + output_args + " " + shell_quoted(file),
                          status);
    if (status != 0) throw std::runtime_error("ffmpeg failed for " + name + ": " + out);
    return file;
}

// The last match of `pattern` (one number) in text.
bool last_number(const std::string& text, const std::string& pattern, double& value) {
    std::regex re(pattern);
    bool found = false;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it) {
        value = std::stod((*it)[1]);
        found = true;
    }
    return found;
}

FfmpegLoudness ffmpeg_loudness(const std::string& file) {
    int status = 0;
    std::string out = run("ffmpeg -nostdin -hide_banner -nostats -i " + shell_quoted(file) +
                              " -af ebur128=peak=true -f null -",
                          status);
    // The summary comes last: "I:  -23.0 LUFS" and, under "True peak:", "Peak:  -12.0 dBFS".
    FfmpegLoudness result;
    if (status != 0 || !last_number(out, R"(I:\s+(-?[0-9.]+) LUFS)", result.integrated) ||
        !last_number(out, R"(Peak:\s+(-?[0-9.]+) dBFS)", result.true_peak))
        throw std::runtime_error("ffmpeg ebur128 failed: " + out);
    return result;
}

}  // namespace sonique::test
