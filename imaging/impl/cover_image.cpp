// normalise_cover and the built-in placeholder.
#include "imaging/cover_image.hpp"

#include <webp/encode.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "pixels.hpp"

namespace sonique::imaging {
namespace {

constexpr float kQuality = 80.0f;

std::optional<NormalisedImage> encode(const detail::Pixels& pixels) {
    auto data = detail::encode_webp(pixels, kQuality);
    if (!data) return std::nullopt;
    NormalisedImage image;
    image.sha256 = detail::sha256_hex(*data);
    image.data = std::move(*data);
    image.mime_type = "image/webp";
    image.width = pixels.width;
    image.height = pixels.height;
    return image;
}

// A neutral grey gradient with a quaver drawn on it: recognisably "no cover", no asset file.
detail::Pixels draw_placeholder(int side) {
    detail::Pixels p;
    p.width = p.height = side;
    p.channels = 3;
    p.data.resize(static_cast<size_t>(side) * side * 3);
    const double s = side / 256.0;
    const auto in_glyph = [s](double x, double y) {
        const double hx = (x - 112 * s) / (26 * s), hy = (y - 176 * s) / (18 * s);
        const bool head = hx * hx + hy * hy <= 1.0;
        const bool stem = x >= 130 * s && x <= 140 * s && y >= 64 * s && y <= 172 * s;
        const bool flag = x >= 140 * s && x <= 176 * s && y >= 64 * s &&
                          y <= 64 * s + 14 * s + (x - 140 * s) * 0.6;
        return head || stem || flag;
    };
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) {
            const auto base = static_cast<std::uint8_t>(96 + (x + y) * 64 / (2 * side));
            const std::uint8_t value = in_glyph(x, y) ? 224 : base;
            auto* px = &p.data[(static_cast<size_t>(y) * side + x) * 3];
            px[0] = px[1] = px[2] = value;
        }
    }
    return p;
}

}  // namespace

std::optional<NormalisedImage> normalise_cover(std::string_view bytes, int max_side) {
    max_side = std::clamp(max_side, 1, WEBP_MAX_DIMENSION);
    auto pixels = detail::decode_image(bytes, max_side);
    if (!pixels) return std::nullopt;
    return encode(detail::fit_within(*pixels, max_side));
}

const NormalisedImage& placeholder_cover() {
    // Built once, thread-safe (magic static); encoding a fixed picture cannot fail short of
    // memory exhaustion, which is reported as an exception.
    static const NormalisedImage placeholder = [] {
        auto image = encode(draw_placeholder(256));
        if (!image) throw std::runtime_error("placeholder cover could not be encoded");
        return std::move(*image);
    }();
    return placeholder;
}

}  // namespace sonique::imaging
