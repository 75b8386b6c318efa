#pragma once
// Private to imaging/: decoded pixels and the codec steps behind normalise_cover.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::imaging::detail {

// Interleaved 8-bit pixels, 3 (RGB) or 4 (RGBA) channels, rows packed.
struct Pixels {
    std::vector<std::uint8_t> data;
    int width = 0;
    int height = 0;
    int channels = 0;
};

// Refuse anything above this many pixels before decoding (decompression bombs).
inline constexpr long long kMaxPixels = 64LL * 1000 * 1000;

// Decodes WebP, JPEG or anything stb_image reads. nullopt when undecodable or too large. A JPEG
// may come back smaller than its full size, but never below max_side on its longest side.
std::optional<Pixels> decode_image(std::string_view bytes, int max_side);

// Scales down to fit max_side x max_side, aspect kept (each side at least 1 pixel).
Pixels fit_within(const Pixels& source, int max_side);

// Lossy WebP at the given quality. nullopt only if libwebp fails (e.g. out of memory).
std::optional<std::string> encode_webp(const Pixels& pixels, float quality);

// Baseline JPEG at the given quality (1..100), alpha composed over white. nullopt only if
// libjpeg fails.
std::optional<std::string> encode_jpeg(const Pixels& pixels, int quality);

// Lowercase hex SHA-256 of bytes (libsodium).
std::string sha256_hex(std::string_view bytes);

}  // namespace sonique::imaging::detail
