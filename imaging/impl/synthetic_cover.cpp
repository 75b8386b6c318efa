// Photo-like pictures written with stb_image_write.
#include "imaging/synthetic_cover.hpp"

#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace sonique::imaging {
namespace {

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
}

std::vector<unsigned char> picture(int side, std::uint32_t seed) {
    std::vector<unsigned char> px(static_cast<size_t>(side) * side * 3);
    const double phase = seed % 1000 / 100.0, scale = 1200.0 / side;
    std::uint32_t grain = seed | 1;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            for (int c = 0; c < 3; ++c) {
                grain = grain * 1103515245 + 12345;
                const double v = 128 + 60 * std::sin(x * 0.01 * (c + 1) * scale + phase) +
                                 40 * std::cos(y * 0.013 * (c + 2) * scale - phase) +
                                 (grain >> 16) % 20;
                px[(static_cast<size_t>(y) * side + x) * 3 + c] =
                    static_cast<unsigned char>(std::clamp(v, 0.0, 255.0));
            }
    return px;
}

}  // namespace

std::string synthetic_cover_jpeg(int side, std::uint32_t seed) {
    std::string out;
    if (side <= 0) return out;
    auto px = picture(side, seed);
    stbi_write_jpg_to_func(append, &out, side, side, 3, px.data(), 90);
    return out;
}

std::string synthetic_cover_png(int side, std::uint32_t seed) {
    std::string out;
    if (side <= 0) return out;
    auto px = picture(side, seed);
    stbi_write_png_to_func(append, &out, side, side, 3, px.data(), side * 3);
    return out;
}

}  // namespace sonique::imaging
