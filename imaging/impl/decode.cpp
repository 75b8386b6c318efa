// Decoding: WebP through libwebp, JPEG through libjpeg-turbo (scaled down in its DCT), the rest
// through stb_image. Dimensions are checked from the header first so that a tiny file announcing
// a huge image is never expanded.
#include <stb_image.h>
#include <webp/decode.h>

#include <algorithm>
#include <climits>
#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE
#include <cstdlib>
#include <memory>
#include <vector>

#include <jerror.h>
#include <jpeglib.h>

#include "pixels.hpp"

namespace sonique::imaging::detail {
namespace {

// Formats are told by their first bytes (a file name or MIME type may lie).
bool starts_with(std::string_view bytes, std::string_view magic) {
    return bytes.substr(0, magic.size()) == magic;
}

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

// stb expands every picture to 8 bits per channel whatever the file holds, pads a BMP that lacks
// its pixels instead of refusing it, and allocates a GIF's whole screen: a file of a few dozen
// bytes could cost seconds and hundreds of megabytes. So: at most 16 megapixels (4096x4096, far
// above any PNG, GIF or BMP cover), an uncompressed BMP must hold the rows it claims, and a GIF
// cannot claim more pixels than LZW could expand its bytes to (~2,700 per byte, rounded up).
constexpr long long kMaxStbPixels = 16LL * 1024 * 1024;

unsigned read_le(std::string_view b, size_t at, int n) {
    unsigned v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = v << 8 | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
    return v;
}

bool plausible_stb(std::string_view bytes, long long width, long long height) {
    if (width * height > kMaxStbPixels) return false;
    if (starts_with(bytes, "GIF"))
        return width * height <= static_cast<long long>(bytes.size()) * 4096;
    if (starts_with(bytes, "BM") && bytes.size() >= 34) {
        const unsigned header = read_le(bytes, 14, 4);
        const unsigned bpp = header >= 40 ? read_le(bytes, 28, 2) : 0;
        const unsigned compression = header >= 40 ? read_le(bytes, 30, 4) : 0;
        if (bpp > 0 && (compression == 0 || compression == 3)) {  // BI_RGB, BI_BITFIELDS
            const long long row = (width * bpp + 31) / 32 * 4;
            return row * height <= static_cast<long long>(bytes.size());
        }
    }
    return true;
}

std::optional<Pixels> decode_stb(std::string_view bytes) {
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int len = static_cast<int>(bytes.size());
    int width = 0, height = 0, comp = 0;
    if (!stbi_info_from_memory(data, len, &width, &height, &comp)) return std::nullopt;
    const long long rows = std::llabs(static_cast<long long>(height));  // top-down BMP: negative
    if (!acceptable_size(width, rows) || !plausible_stb(bytes, width, rows)) return std::nullopt;
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

// libjpeg reports errors through a callback that must not return: it jumps back to decode_jpeg.
struct JpegDecoder {
    jpeg_decompress_struct info{};
    jpeg_error_mgr errors{};
    jpeg_progress_mgr progress{};
    std::jmp_buf on_error{};
    int damage = 0;  // warnings about the data (not counting harmless ones)
    // Everything with a destructor lives here, not on decode_jpeg's stack, which a jump leaves.
    std::vector<std::uint8_t> decoded;
    Pixels pixels;
    // Also after a jump or an exception; a second call (or one before creation) does nothing.
    ~JpegDecoder() { jpeg_destroy_decompress(&info); }
};

// A progressive file may announce thousands of scans, each a pass over the whole picture.
constexpr int kMaxScans = 500;
// Progressive files keep every coefficient in memory: refuse what needs more than this.
constexpr long kMaxJpegMemory = 256L * 1024 * 1024;

JpegDecoder& decoder(j_common_ptr info) {
    return *static_cast<JpegDecoder*>(info->client_data);
}
[[noreturn]] void jpeg_failed(j_common_ptr info) {
    std::longjmp(decoder(info).on_error, 1);
}
void jpeg_message(j_common_ptr info, int level) {
    // Bytes before a marker are common in real files and harmless; any other warning means
    // corrupt or truncated data, which libjpeg would paint grey.
    if (level < 0 && info->err->msg_code != JWRN_EXTRANEOUS_DATA) ++decoder(info).damage;
}
void jpeg_progress(j_common_ptr info) {
    auto* d = reinterpret_cast<j_decompress_ptr>(info);
    if (d->input_scan_number > kMaxScans) jpeg_failed(info);
}

// CMYK as libjpeg returns it to RGB. Adobe's files (nearly all CMYK JPEGs) store inverted
// values.
void cmyk_to_rgb(const std::uint8_t* cmyk, std::uint8_t* rgb, size_t pixels, bool inverted) {
    for (size_t i = 0; i < pixels; ++i, cmyk += 4, rgb += 3) {
        const int k = inverted ? cmyk[3] : 255 - cmyk[3];
        for (int c = 0; c < 3; ++c)
            rgb[c] =
                static_cast<std::uint8_t>(((inverted ? cmyk[c] : 255 - cmyk[c]) * k + 127) / 255);
    }
}

// A cover is shrunk to max_side anyway: libjpeg-turbo decodes at 1/2, 1/4 or 1/8 of the size
// in its inverse DCT, as long as the result still covers max_side, which costs a fraction of a
// full decode and leaves the resize a fraction of the pixels (1200x1200 to 256: 35 ms -> 5 ms).
// That reduction averages the encoded (not linear) values, as every JPEG thumbnailer's does:
// fine patterns of strong contrast come out darker than a full decode and a linear-light resize
// would make them. nullopt on any error, and on warnings about the data (corrupt, truncated).
std::optional<Pixels> decode_jpeg(std::string_view bytes, int max_side) {
    // On the heap and never reassigned: nothing a longjmp could leave indeterminate.
    const auto d = std::make_unique<JpegDecoder>();
    jpeg_decompress_struct& info = d->info;
    info.err = jpeg_std_error(&d->errors);
    d->errors.error_exit = jpeg_failed;
    d->errors.emit_message = jpeg_message;
    d->progress.progress_monitor = jpeg_progress;
    info.client_data = d.get();
    if (setjmp(d->on_error)) return std::nullopt;
    jpeg_create_decompress(&info);
    info.progress = &d->progress;
    info.mem->max_memory_to_use = kMaxJpegMemory;
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    if (jpeg_read_header(&info, TRUE) != JPEG_HEADER_OK ||
        !acceptable_size(info.image_width, info.image_height) || d->damage > 0)
        return std::nullopt;
    const long long longest = std::max(info.image_width, info.image_height);
    unsigned denom = 1;
    while (denom < 8 && longest / (denom * 2) >= max_side)
        denom *= 2;
    info.scale_num = 1;
    info.scale_denom = denom;
    const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    info.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&info);
    Pixels& out = d->pixels;
    out.width = static_cast<int>(info.output_width);
    out.height = static_cast<int>(info.output_height);
    out.channels = 3;
    const size_t row = static_cast<size_t>(out.width) * info.output_components;
    std::vector<std::uint8_t>& decoded = d->decoded;
    decoded.resize(row * out.height);
    while (info.output_scanline < info.output_height) {
        JSAMPROW line = decoded.data() + row * info.output_scanline;
        jpeg_read_scanlines(&info, &line, 1);
    }
    jpeg_finish_decompress(&info);
    if (d->damage > 0) return std::nullopt;
    if (cmyk) {
        out.data.resize(static_cast<size_t>(out.width) * out.height * 3);
        cmyk_to_rgb(decoded.data(), out.data.data(), static_cast<size_t>(out.width) * out.height,
                    info.saw_Adobe_marker);
    } else {
        out.data = std::move(decoded);
    }
    return std::move(out);
}

}  // namespace

std::optional<Pixels> decode_image(std::string_view bytes, int max_side) {
    if (bytes.empty() || bytes.size() > static_cast<size_t>(INT_MAX)) return std::nullopt;
    int width = 0, height = 0;
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    if (WebPGetInfo(data, bytes.size(), &width, &height)) return decode_webp(bytes);
    // stb_image never sees a JPEG: libjpeg-turbo reads more of them (CMYK, arithmetic coding),
    // and Debian's stb asserts (aborts the process) on some corrupt ones.
    if (starts_with(bytes, "\xFF\xD8\xFF")) return decode_jpeg(bytes, max_side);
    // Of stb's other formats only those covers come in: the rest (TGA has no signature at all,
    // so any garbage may parse as one; PSD, HDR, PIC, PNM) would only widen what hostile bytes
    // can reach.
    if (starts_with(bytes, "\x89PNG\r\n\x1a\n") || starts_with(bytes, "GIF87a") ||
        starts_with(bytes, "GIF89a") || starts_with(bytes, "BM"))
        return decode_stb(bytes);
    return std::nullopt;
}

}  // namespace sonique::imaging::detail
