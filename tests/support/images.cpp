#include "support/images.hpp"

#include <stb_image_write.h>

#include <vector>

namespace sonique::test {

std::string png_bytes(int w, int h) {
    std::vector<unsigned char> px(static_cast<size_t>(w) * h * 3);
    for (size_t i = 0; i < px.size(); ++i)
        px[i] = static_cast<unsigned char>((i * 13) % 256);
    std::string out;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            static_cast<std::string*>(ctx)->append(static_cast<const char*>(data), size);
        },
        &out, w, h, 3, px.data(), w * 3);
    return out;
}

}  // namespace sonique::test
