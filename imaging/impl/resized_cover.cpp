// resize_cover (imaging/resized_cover.hpp).
#include "imaging/resized_cover.hpp"

#include <webp/encode.h>

#include <algorithm>

#include "pixels.hpp"

namespace sonique::imaging {
namespace {

// Phones show these full screen: a little more than the stored covers' quality.
constexpr int kJpegQuality = 85;
constexpr float kWebpQuality = 82.0f;

}  // namespace

std::optional<ResizedCover> resize_cover(std::string_view bytes, int max_side,
                                         ClientFormat format) {
    max_side = std::clamp(max_side, 1, WEBP_MAX_DIMENSION);
    auto pixels = detail::decode_image(bytes, max_side);
    if (!pixels) return std::nullopt;
    auto fitted = detail::fit_within(*pixels, max_side);
    auto data = format == ClientFormat::kJpeg ? detail::encode_jpeg(fitted, kJpegQuality)
                                              : detail::encode_webp(fitted, kWebpQuality);
    if (!data) return std::nullopt;
    ResizedCover out;
    out.data = std::move(*data);
    out.mime_type = format == ClientFormat::kJpeg ? "image/jpeg" : "image/webp";
    out.width = fitted.width;
    out.height = fitted.height;
    return out;
}

}  // namespace sonique::imaging
