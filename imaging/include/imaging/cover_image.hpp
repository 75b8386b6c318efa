#pragma once
// Cover normalisation: any image stb can decode (JPEG, PNG, GIF, BMP, ...) and WebP become a
// WebP that fits 256x256 with its aspect ratio kept. Used by the scanner and the covers API.
#include <optional>
#include <string>
#include <string_view>

namespace sonique::imaging {

struct NormalisedImage {
    std::string data;       // WebP bytes
    std::string mime_type;  // "image/webp"
    int width = 0;
    int height = 0;
    std::string sha256;  // hex digest of data (identical covers are stored once)
};

// Decodes, resizes to fit max_side x max_side (never enlarges) and encodes as WebP.
// Returns nullopt when the bytes are not a decodable image or are unreasonably large
// (more than 64 megapixels). Any thread; no I/O.
std::optional<NormalisedImage> normalise_cover(std::string_view bytes, int max_side = 256);

// The built-in placeholder served for entities without an image (a small WebP).
const NormalisedImage& placeholder_cover();

}  // namespace sonique::imaging
