#pragma once
// Covers at the size a client asks for (Subsonic getCoverArt with `size`), made from the
// original image: decoded as normalise_cover decodes, scaled down to fit (never enlarged) and
// encoded as JPEG, or WebP for clients that accept it.
#include <optional>
#include <string>
#include <string_view>

namespace sonique::imaging {

enum class ClientFormat { kJpeg, kWebp };

struct ResizedCover {
    std::string data;
    std::string mime_type;  // image/jpeg or image/webp
    int width = 0;
    int height = 0;
};

// Fits the image in max_side x max_side (its own size when smaller). nullopt when the bytes are
// not a decodable image or hold more than 64 megapixels. Any thread; no I/O; CPU-bound (a 3000
// px JPEG takes tens of milliseconds).
std::optional<ResizedCover> resize_cover(std::string_view bytes, int max_side, ClientFormat format);

}  // namespace sonique::imaging
