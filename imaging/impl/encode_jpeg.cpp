// JPEG encoding (libjpeg-turbo) of resized covers for clients (resized_cover.hpp).
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>

#include <jpeglib.h>

#include "pixels.hpp"

namespace sonique::imaging::detail {
namespace {

// libjpeg reports errors through a callback that must not return: it jumps back to
// encode_jpeg. What has a destructor lives here, not on the jumping frame.
struct JpegEncoder {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    std::jmp_buf on_error{};
    unsigned char* out = nullptr;  // jpeg_mem_dest's buffer (malloc'd by libjpeg)
    unsigned long size = 0;
    std::vector<std::uint8_t> row;  // one RGB row when the source has alpha
    ~JpegEncoder() {
        jpeg_destroy_compress(&info);
        std::free(out);
    }
};

[[noreturn]] void jpeg_failed(j_common_ptr info) {
    std::longjmp(static_cast<JpegEncoder*>(info->client_data)->on_error, 1);
}
void jpeg_silent(j_common_ptr, int) {}

}  // namespace

std::optional<std::string> encode_jpeg(const Pixels& pixels, int quality) {
    JpegEncoder e;
    e.info.err = jpeg_std_error(&e.errors);
    e.errors.error_exit = jpeg_failed;
    e.errors.emit_message = jpeg_silent;
    e.info.client_data = &e;
    if (setjmp(e.on_error)) return std::nullopt;
    jpeg_create_compress(&e.info);
    jpeg_mem_dest(&e.info, &e.out, &e.size);
    e.info.image_width = static_cast<JDIMENSION>(pixels.width);
    e.info.image_height = static_cast<JDIMENSION>(pixels.height);
    e.info.input_components = 3;
    e.info.in_color_space = JCS_RGB;
    jpeg_set_defaults(&e.info);
    jpeg_set_quality(&e.info, quality, TRUE);
    jpeg_start_compress(&e.info, TRUE);
    const size_t stride = static_cast<size_t>(pixels.width) * pixels.channels;
    e.row.resize(static_cast<size_t>(pixels.width) * 3);
    while (e.info.next_scanline < e.info.image_height) {
        const std::uint8_t* src = pixels.data.data() + e.info.next_scanline * stride;
        if (pixels.channels == 4) {
            // JPEG has no alpha: transparent parts over white, as browsers show them.
            for (int x = 0; x < pixels.width; ++x) {
                const unsigned a = src[x * 4 + 3];
                for (int c = 0; c < 3; ++c)
                    e.row[x * 3 + c] =
                        static_cast<std::uint8_t>((src[x * 4 + c] * a + 255 * (255 - a)) / 255);
            }
            src = e.row.data();
        }
        JSAMPROW rows[1] = {const_cast<JSAMPROW>(src)};
        jpeg_write_scanlines(&e.info, rows, 1);
    }
    jpeg_finish_compress(&e.info);
    return std::string(reinterpret_cast<const char*>(e.out), e.size);
}

}  // namespace sonique::imaging::detail
