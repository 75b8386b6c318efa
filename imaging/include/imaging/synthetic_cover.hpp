#pragma once
// Photo-like album art for the demo library and the benchmarks: smooth shapes with grain, so
// that it compresses like a photograph (a 1200x1200 JPEG at quality 90 is ~330 KB, as real
// covers are). Different seeds give different pictures.
#include <cstdint>
#include <string>

namespace sonique::imaging {

// A side x side JPEG (quality 90). Empty when side is not positive. Any thread.
std::string synthetic_cover_jpeg(int side, std::uint32_t seed);
// The same picture as a PNG.
std::string synthetic_cover_png(int side, std::uint32_t seed);

}  // namespace sonique::imaging
