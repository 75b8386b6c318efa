// Resizing: RGB pictures by area averaging in linear light, in fixed point (each output pixel is
// the mean light of the source area it covers, as stb_image_resize's sRGB mode computes it, at a
// tenth of its cost); RGBA ones through stb_image_resize, which also weighs colours by alpha.
#include <stb_image_resize.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "pixels.hpp"

namespace sonique::imaging::detail {
namespace {

// 14-bit weights: 16-bit linear values times weights that sum to one (1 << 14) fit 32 bits.
constexpr int kWeightBits = 14;
constexpr std::uint32_t kOne = 1u << kWeightBits;

// sRGB <-> 16-bit linear light, built once.
struct Gamma {
    std::uint16_t to_linear[256];
    std::vector<std::uint8_t> to_srgb = std::vector<std::uint8_t>(65536);
    Gamma() {
        for (int v = 0; v < 256; ++v) {
            const double s = v / 255.0;
            const double l = s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
            to_linear[v] = static_cast<std::uint16_t>(std::lround(l * 65535));
        }
        for (int v = 0; v < 65536; ++v) {
            const double l = v / 65535.0;
            const double s = l <= 0.0031308 ? l * 12.92 : 1.055 * std::pow(l, 1 / 2.4) - 0.055;
            to_srgb[v] = static_cast<std::uint8_t>(std::lround(std::clamp(s, 0.0, 1.0) * 255));
        }
    }
};

const Gamma& gamma() {
    static const Gamma g;
    return g;
}

// For each output position, the source positions it covers and their shares of it.
struct Taps {
    std::vector<int> first, count;
    std::vector<size_t> offset;
    std::vector<std::uint32_t> weight;  // each output position's weights sum to kOne
};

Taps area_taps(int source, int target) {
    Taps t;
    const double step = static_cast<double>(source) / target;
    for (int i = 0; i < target; ++i) {
        const double a = i * step, b = std::min<double>(source, (i + 1) * step);
        const int j0 = static_cast<int>(a);
        const int j1 = std::min(source, static_cast<int>(std::ceil(b)));
        t.first.push_back(j0);
        t.count.push_back(j1 - j0);
        t.offset.push_back(t.weight.size());
        // Each weight is the step of the rounded running share, so that they sum to exactly one
        // and none is negative, whatever the number of source positions (thousands, for a
        // 65,000-pixel-wide picture).
        auto covered = [&](double x) {
            return std::lround((std::clamp(x, a, b) - a) / (b - a) * kOne);
        };
        for (int j = j0; j < j1; ++j)
            t.weight.push_back(static_cast<std::uint32_t>(covered(j + 1.0) - covered(j)));
    }
    return t;
}

Pixels area_average(const Pixels& in, int width, int height) {
    const Gamma& g = gamma();
    const int ch = in.channels;
    const Taps across = area_taps(in.width, width), down = area_taps(in.height, height);
    // Horizontal pass: every source row to the target width, in linear light.
    std::vector<std::uint16_t> rows(static_cast<size_t>(in.height) * width * ch);
    for (int y = 0; y < in.height; ++y) {
        const std::uint8_t* src = in.data.data() + static_cast<size_t>(y) * in.width * ch;
        std::uint16_t* dst = rows.data() + static_cast<size_t>(y) * width * ch;
        for (int x = 0; x < width; ++x) {
            const std::uint32_t* w = across.weight.data() + across.offset[x];
            const std::uint8_t* s = src + static_cast<size_t>(across.first[x]) * ch;
            for (int c = 0; c < ch; ++c) {
                std::uint32_t sum = 0;
                for (int k = 0; k < across.count[x]; ++k)
                    sum += g.to_linear[s[k * ch + c]] * w[k];
                dst[x * ch + c] = static_cast<std::uint16_t>((sum + kOne / 2) >> kWeightBits);
            }
        }
    }
    // Vertical pass.
    Pixels out;
    out.width = width;
    out.height = height;
    out.channels = ch;
    out.data.resize(static_cast<size_t>(width) * height * ch);
    const size_t stride = static_cast<size_t>(width) * ch;
    std::vector<std::uint32_t> sum(stride);
    for (int y = 0; y < height; ++y) {
        std::fill(sum.begin(), sum.end(), 0u);
        const std::uint32_t* w = down.weight.data() + down.offset[y];
        for (int k = 0; k < down.count[y]; ++k) {
            const std::uint16_t* row = rows.data() + (down.first[y] + k) * stride;
            for (size_t i = 0; i < stride; ++i)
                sum[i] += row[i] * w[k];
        }
        std::uint8_t* dst = out.data.data() + y * stride;
        for (size_t i = 0; i < stride; ++i)
            dst[i] = g.to_srgb[std::min<std::uint32_t>(65535, (sum[i] + kOne / 2) >> kWeightBits)];
    }
    return out;
}

}  // namespace

Pixels fit_within(const Pixels& source, int max_side) {
    const int longest = std::max(source.width, source.height);
    if (longest <= max_side) return source;
    const double scale = static_cast<double>(max_side) / longest;
    const int width = std::max(1, static_cast<int>(std::lround(source.width * scale)));
    const int height = std::max(1, static_cast<int>(std::lround(source.height * scale)));
    if (source.channels != 4) return area_average(source, width, height);
    Pixels out;
    out.width = width;
    out.height = height;
    out.channels = source.channels;
    out.data.resize(static_cast<size_t>(out.width) * out.height * out.channels);
    stbir_resize_uint8_srgb(source.data.data(), source.width, source.height, 0, out.data.data(),
                            out.width, out.height, 0, out.channels, 3, 0);
    return out;
}

}  // namespace sonique::imaging::detail
