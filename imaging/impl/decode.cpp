// Decoding: WebP through libwebp, everything else through stb_image. Dimensions are checked
// from the header first so that a tiny file announcing a huge image is never expanded.
#include <stb_image.h>
#include <webp/decode.h>

#include <climits>
#include <memory>

#include "pixels.hpp"

namespace sonique::imaging::detail {
namespace {

bool acceptable_size(long long width, long long height) {
    return width > 0 && height > 0 && width * height <= kMaxPixels;
}

std::optional<Pixels> decode_webp(std::string_view bytes) {
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config)) return std::nullopt;
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK) return std::nullopt;
    if (!acceptable_size(config.input.width, config.input.height)) return std::nullopt;
    Pixels out;
    out.width = config.input.width;
    out.height = config.input.height;
    out.channels = config.input.has_alpha ? 4 : 3;
    out.data.resize(static_cast<size_t>(out.width) * out.height * out.channels);
    // Decode straight into our buffer: nothing to free on any path.
    config.output.colorspace = out.channels == 4 ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = out.data.data();
    config.output.u.RGBA.stride = out.width * out.channels;
    config.output.u.RGBA.size = out.data.size();
    if (WebPDecode(data, bytes.size(), &config) != VP8_STATUS_OK) return std::nullopt;
    return out;
}

std::optional<Pixels> decode_stb(std::string_view bytes) {
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int len = static_cast<int>(bytes.size());
    int width = 0, height = 0, comp = 0;
    if (!stbi_info_from_memory(data, len, &width, &height, &comp)) return std::nullopt;
    if (!acceptable_size(width, height)) return std::nullopt;
    const int channels = (comp == 2 || comp == 4) ? 4 : 3;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, len, &width, &height, &comp, channels), stbi_image_free);
    if (!pixels || !acceptable_size(width, height)) return std::nullopt;
    Pixels out;
    out.width = width;
    out.height = height;
    out.channels = channels;
    const size_t size = static_cast<size_t>(width) * height * channels;
    out.data.assign(pixels.get(), pixels.get() + size);
    return out;
}

}  // namespace

std::optional<Pixels> decode_image(std::string_view bytes) {
    if (bytes.empty() || bytes.size() > static_cast<size_t>(INT_MAX)) return std::nullopt;
    int width = 0, height = 0;
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (WebPGetInfo(data, bytes.size(), &width, &height)) return decode_webp(bytes);
    return decode_stb(bytes);
}

}  // namespace sonique::imaging::detail
