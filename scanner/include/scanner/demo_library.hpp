#pragma once
// Synthetic music libraries for the demo and the benchmark: tiny valid files written from
// templates built in memory (WAV, MP3 and FLAC), tagged with TagLib like a real collection:
// thousands of artists and albums, multi-artist tracks, compilations, non-Latin names,
// missing tags, embedded covers on a share of the files.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sonique::scanner {

struct DemoOptions {
    size_t files = 50;
    uint64_t seed = 42;
    int cover_percent = 30;   // share of files with an embedded cover
    int cover_side = 0;       // 0: a 48x48 one-colour BMP; else a photo-like JPEG this wide
    int missing_percent = 5;  // share of files without title/artist tags
};

// Writes the files under dir (created as needed) and returns how many were written.
// Throws std::runtime_error when dir cannot be written. Single thread.
size_t generate_library(const std::string& dir, const DemoOptions& options);

}  // namespace sonique::scanner
