// normalise_cover with images generated here: PNG/JPEG/WebP input, hostile bytes, sizes.
#include <gtest/gtest.h>
#include <stb_image_write.h>
#include <webp/decode.h>
#include <webp/encode.h>

#include <cstdio>  // jpeglib.h needs FILE

#include <jpeglib.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "imaging/cover_image.hpp"

namespace sonique::imaging {
namespace {

void append(void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
}

std::vector<std::uint8_t> gradient(int w, int h, int channels) {
    std::vector<std::uint8_t> px(static_cast<size_t>(w) * h * channels);
    for (size_t i = 0; i < px.size(); ++i)
        px[i] = static_cast<std::uint8_t>(i * 7 % 251);
    return px;
}

std::string png(int w, int h, int channels = 3) {
    std::string out;
    auto px = gradient(w, h, channels);
    EXPECT_TRUE(stbi_write_png_to_func(append, &out, w, h, channels, px.data(), w * channels));
    return out;
}

std::string jpeg(int w, int h) {
    std::string out;
    auto px = gradient(w, h, 3);
    EXPECT_TRUE(stbi_write_jpg_to_func(append, &out, w, h, 3, px.data(), 90));
    return out;
}

// Width and height of WebP bytes, or {0, 0} when they are not a WebP.
std::pair<int, int> webp_size(const std::string& bytes) {
    int w = 0, h = 0;
    WebPGetInfo(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &w, &h);
    return {w, h};
}

TEST(NormaliseCover, JpegIsResizedToFitAndEncodedAsWebp) {
    auto image = normalise_cover(jpeg(600, 400));
    ASSERT_TRUE(image);
    EXPECT_EQ(image->mime_type, "image/webp");
    EXPECT_EQ(image->width, 256);
    EXPECT_EQ(image->height, 171);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 171));
    EXPECT_EQ(image->sha256.size(), 64u);
}

// RGB of the decoded WebP at (x, y).
std::array<int, 3> webp_pixel(const std::string& bytes, int x, int y) {
    int w = 0, h = 0;
    std::unique_ptr<std::uint8_t, void (*)(void*)> px(
        WebPDecodeRGB(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &w, &h),
        WebPFree);
    if (!px || x >= w || y >= h) return {-1, -1, -1};
    const std::uint8_t* p = px.get() + (static_cast<size_t>(y) * w + x) * 3;
    return {p[0], p[1], p[2]};
}

bool near(std::array<int, 3> got, std::array<int, 3> want) {
    for (int i = 0; i < 3; ++i)
        if (std::abs(got[i] - want[i]) > 24) return false;
    return true;
}

// Large JPEGs are decoded at a fraction of their size (libjpeg-turbo's DCT scaling) before the
// resize: the picture must come out the same, at the exact size asked for.
TEST(NormaliseCover, LargeJpegKeepsItsPictureAndExactSize) {
    const int w = 1600, h = 800;
    std::vector<std::uint8_t> px(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::uint8_t* p = &px[(static_cast<size_t>(y) * w + x) * 3];
            const bool left = x < w / 2, top = y < h / 2;
            p[0] = left ? 220 : 20;
            p[1] = top ? 200 : 40;
            p[2] = left ? 30 : 210;
        }
    std::string bytes;
    ASSERT_TRUE(stbi_write_jpg_to_func(append, &bytes, w, h, 3, px.data(), 90));
    auto image = normalise_cover(bytes);
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 128));
    EXPECT_TRUE(near(webp_pixel(image->data, 32, 16), {220, 200, 30}));
    EXPECT_TRUE(near(webp_pixel(image->data, 224, 16), {20, 200, 210}));
    EXPECT_TRUE(near(webp_pixel(image->data, 32, 112), {220, 40, 30}));
    EXPECT_TRUE(near(webp_pixel(image->data, 224, 112), {20, 40, 210}));
    // Every scale: just above, at and below the powers of two of max_side.
    for (int side : {2049, 2048, 2047, 1025, 1024, 513, 512, 511, 257, 256}) {
        std::string sized;
        std::vector<std::uint8_t> grey(static_cast<size_t>(side) * 3 * 3, 128);
        ASSERT_TRUE(stbi_write_jpg_to_func(append, &sized, side, 3, 3, grey.data(), 90));
        auto r = normalise_cover(sized);
        ASSERT_TRUE(r) << side;
        EXPECT_EQ(r->width, 256) << side;
        EXPECT_TRUE(near(webp_pixel(r->data, 128, 0), {128, 128, 128})) << side;
    }
}

// Downscaling averages the light of the area each output pixel covers: a one-pixel black and
// white checkerboard becomes an even grey of half the light, sRGB 188 (picking pixels, as
// nearest-neighbour scaling does, would keep black and white; averaging the sRGB values without
// linearising them would give a too dark 128).
TEST(NormaliseCover, DownscalingAveragesFineDetail) {
    const int w = 700, h = 350;
    std::vector<std::uint8_t> px(static_cast<size_t>(w) * h * 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int c = 0; c < 3; ++c)
                px[(static_cast<size_t>(y) * w + x) * 3 + c] = (x + y) % 2 ? 255 : 0;
    std::string bytes;
    ASSERT_TRUE(stbi_write_png_to_func(append, &bytes, w, h, 3, px.data(), w * 3));
    auto image = normalise_cover(bytes);
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 128));
    for (int y = 0; y < 128; y += 9)
        for (int x = 0; x < 256; x += 13)
            ASSERT_TRUE(near(webp_pixel(image->data, x, y), {188, 188, 188})) << x << "," << y;
}

// Thousands of source pixels per output pixel: each output pixel still averages its own area
// (the weights of such long runs once overflowed and read outside a table).
TEST(NormaliseCover, VeryLongPicturesAverageTheirOwnArea) {
    std::vector<int> lengths;
    for (int length = 20000; length < 65536; length += 1511)
        lengths.push_back(length);
    for (int length : lengths) {
        // Top half black but for its first row, bottom half white. The first output pixel's
        // area holds hundreds of rows, one of them white.
        std::vector<std::uint8_t> px(static_cast<size_t>(length) * 2 * 3);
        for (int y = 0; y < length; ++y)
            for (int i = 0; i < 6; ++i)
                px[static_cast<size_t>(y) * 6 + i] = y >= length / 2 || y == 0 ? 255 : 0;
        std::string bytes;
        ASSERT_TRUE(stbi_write_png_to_func(append, &bytes, 2, length, 3, px.data(), 6));
        auto image = normalise_cover(bytes);
        ASSERT_TRUE(image) << length;
        EXPECT_EQ(webp_size(image->data).second, 256) << length;
        EXPECT_TRUE(near(webp_pixel(image->data, 0, 196), {255, 255, 255})) << length;
        for (int y = 0; y < 124; y += 3)
            ASSERT_LT(webp_pixel(image->data, 0, y)[0], 60) << length << " row " << y;
    }
}

// A JPEG written by libjpeg from components per pixel (3: RGB, 4: CMYK with Adobe's marker, whose
// files store inverted values).
// libjpeg's compressor and the buffer jpeg_mem_dest allocates, freed on every way out.
struct JpegWriter {
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    unsigned char* mem = nullptr;
    unsigned long size = 0;
    JpegWriter() {
        info.err = jpeg_std_error(&errors);
        jpeg_create_compress(&info);
        jpeg_mem_dest(&info, &mem, &size);
    }
    ~JpegWriter() {
        jpeg_destroy_compress(&info);
        std::free(mem);
    }
    JpegWriter(const JpegWriter&) = delete;
    JpegWriter& operator=(const JpegWriter&) = delete;
};

std::string libjpeg_write(int w, int h, int components, const std::vector<std::uint8_t>& px) {
    JpegWriter writer;
    jpeg_compress_struct& info = writer.info;
    info.image_width = w;
    info.image_height = h;
    info.input_components = components;
    info.in_color_space = components == 4 ? JCS_CMYK : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 90, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        auto* row = const_cast<JSAMPROW>(px.data() +
                                         static_cast<size_t>(info.next_scanline) * w * components);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    return std::string(reinterpret_cast<const char*>(writer.mem), writer.size);
}

TEST(NormaliseCover, CmykJpegIsConverted) {
    // Ink C=0 M=100% Y=100% K=0 (red), stored inverted as Adobe's files do.
    std::vector<std::uint8_t> px;
    for (int i = 0; i < 400 * 300; ++i)
        px.insert(px.end(), {255, 0, 0, 255});
    auto image = normalise_cover(libjpeg_write(400, 300, 4, px));
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 192));
    EXPECT_TRUE(near(webp_pixel(image->data, 128, 96), {255, 0, 0}));
}

// Truncated or corrupt data, which libjpeg would fill with grey, is refused; bytes before a
// marker (common in real files, harmless) are not.
TEST(NormaliseCover, DamagedJpegIsRefusedButStrayBytesAreNot) {
    const std::string full = libjpeg_write(1600, 1200, 3, gradient(1600, 1200, 3));
    ASSERT_TRUE(normalise_cover(full));
    EXPECT_FALSE(normalise_cover(std::string_view(full).substr(0, full.size() / 2)));
    EXPECT_FALSE(normalise_cover(std::string_view(full).substr(0, full.size() * 9 / 10)));
    std::string corrupt = full;
    for (size_t i = full.size() / 3; i < full.size() / 3 + 64; ++i)
        corrupt[i] = static_cast<char>(0xFF);
    EXPECT_FALSE(normalise_cover(corrupt));
    ASSERT_EQ(full.substr(full.size() - 2), "\xFF\xD9");
    std::string stray = full;
    stray.insert(stray.size() - 2, "\x12\x34\x56");
    EXPECT_TRUE(normalise_cover(stray));
}

// Covers come as JPEG, PNG, WebP, GIF or BMP; stb's other formats are refused (TGA has no
// signature: any bytes could be tried as one).
TEST(NormaliseCover, OnlyCoverFormatsAreDecoded) {
    auto px = gradient(40, 30, 3);
    std::string bmp, tga;
    ASSERT_TRUE(stbi_write_bmp_to_func(append, &bmp, 40, 30, 3, px.data()));
    ASSERT_TRUE(stbi_write_tga_to_func(append, &tga, 40, 30, 3, px.data()));
    EXPECT_TRUE(normalise_cover(bmp));
    EXPECT_FALSE(normalise_cover(tga));
}

// A few dozen bytes must not make stb allocate hundreds of megabytes and spend seconds: a GIF
// screen far larger than its data could fill, a BMP without the rows it announces. A top-down
// BMP (negative height) is a valid picture.
TEST(NormaliseCover, TinyFilesClaimingHugePicturesAreRefused) {
    std::string gif("GIF89a", 6);
    gif += std::string("\xA0\x0F\xA0\x0F\x80\x00\x00", 7);  // 4000 x 4000, 2 colours
    gif += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);
    gif += std::string("\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10);  // a 1x1 frame
    gif += std::string("\x02\x02\x4C\x01\x00\x3B", 6);
    EXPECT_FALSE(normalise_cover(gif));
    std::string small_gif = gif;
    small_gif[6] = small_gif[8] = 2;  // the same file with a 2 x 2 screen
    small_gif[7] = small_gif[9] = 0;
    EXPECT_TRUE(normalise_cover(small_gif));

    auto px = gradient(40, 30, 3);
    std::string bmp;
    ASSERT_TRUE(stbi_write_bmp_to_func(append, &bmp, 40, 30, 3, px.data()));
    std::string top_down = bmp;
    const int minus_30 = -30;
    top_down.replace(22, 4, reinterpret_cast<const char*>(&minus_30), 4);  // little endian
    EXPECT_TRUE(normalise_cover(top_down));
    std::string claims = bmp.substr(0, 54 + 120);
    const int huge = 3000;
    claims.replace(18, 4, reinterpret_cast<const char*>(&huge), 4);
    claims.replace(22, 4, reinterpret_cast<const char*>(&huge), 4);
    EXPECT_FALSE(normalise_cover(claims));
}

TEST(NormaliseCover, GreyscaleJpegBecomesRgb) {
    std::vector<std::uint8_t> px(640 * 480, 90);
    std::string bytes;
    ASSERT_TRUE(stbi_write_jpg_to_func(append, &bytes, 640, 480, 1, px.data(), 90));
    auto image = normalise_cover(bytes);
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 192));
    EXPECT_TRUE(near(webp_pixel(image->data, 100, 100), {90, 90, 90}));
}

TEST(NormaliseCover, SmallImagesAreNotEnlarged) {
    auto one = normalise_cover(png(1, 1));
    ASSERT_TRUE(one);
    EXPECT_EQ(webp_size(one->data), std::make_pair(1, 1));
    auto small = normalise_cover(png(100, 50));
    ASSERT_TRUE(small);
    EXPECT_EQ(webp_size(small->data), std::make_pair(100, 50));
}

TEST(NormaliseCover, ExtremeAspectRatioIsKept) {
    auto wide = normalise_cover(png(4000, 100));
    ASSERT_TRUE(wide);
    EXPECT_EQ(wide->width, 256);
    EXPECT_EQ(wide->height, 6);  // 100 * 256 / 4000 = 6.4
    auto tall = normalise_cover(png(10, 4000));
    ASSERT_TRUE(tall);
    EXPECT_EQ(webp_size(tall->data), std::make_pair(1, 256));
}

TEST(NormaliseCover, AlphaSurvives) {
    auto image = normalise_cover(png(300, 300, 4));
    ASSERT_TRUE(image);
    WebPBitstreamFeatures features;
    ASSERT_EQ(WebPGetFeatures(reinterpret_cast<const std::uint8_t*>(image->data.data()),
                              image->data.size(), &features),
              VP8_STATUS_OK);
    EXPECT_TRUE(features.has_alpha);
}

TEST(NormaliseCover, WebpInputIsDecoded) {
    auto px = gradient(512, 300, 3);
    std::uint8_t* out = nullptr;
    size_t size = WebPEncodeRGB(px.data(), 512, 300, 512 * 3, 90, &out);
    std::unique_ptr<std::uint8_t, void (*)(void*)> owned(out, WebPFree);
    ASSERT_GT(size, 0u);
    std::string webp(reinterpret_cast<char*>(owned.get()), size);
    auto image = normalise_cover(webp);
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(256, 150));
}

TEST(NormaliseCover, SameInputGivesSameHash) {
    auto a = normalise_cover(png(64, 64));
    auto b = normalise_cover(png(64, 64));
    auto c = normalise_cover(png(65, 64));
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->sha256, b->sha256);
    EXPECT_NE(a->sha256, c->sha256);
}

TEST(NormaliseCover, GarbageIsRefused) {
    EXPECT_FALSE(normalise_cover(""));
    EXPECT_FALSE(normalise_cover("not an image at all"));
    std::string noise(4096, '\0');
    for (size_t i = 0; i < noise.size(); ++i)
        noise[i] = static_cast<char>(i * 131 % 256);
    EXPECT_FALSE(normalise_cover(noise));
    EXPECT_FALSE(normalise_cover("RIFF\x10\0\0\0WEBPVP8 garbage"));
}

TEST(NormaliseCover, TruncatedFilesAreRefusedOrDecodedWithoutCrashing) {
    const std::string full = jpeg(300, 300);
    // Only the header: no scan data at all.
    EXPECT_FALSE(normalise_cover(std::string_view(full).substr(0, 20)));
    // Every truncation point must return cleanly (stb may decode a partial scan as grey).
    for (size_t len = 0; len < full.size(); len += 389) {
        auto image = normalise_cover(std::string_view(full).substr(0, len));
        if (image) {
            EXPECT_FALSE(image->data.empty());
        }
    }
    const std::string p = png(300, 300);
    EXPECT_FALSE(normalise_cover(std::string_view(p).substr(0, p.size() / 2)));
}

TEST(NormaliseCover, HugeDimensionsInHeaderAreRefusedBeforeDecoding) {
    std::string bomb = png(8, 8);
    // IHDR width/height sit at offsets 16 and 20 (big endian): claim 20000 x 20000.
    const unsigned char dim[4] = {0x00, 0x00, 0x4E, 0x20};
    bomb.replace(16, 4, reinterpret_cast<const char*>(dim), 4);
    bomb.replace(20, 4, reinterpret_cast<const char*>(dim), 4);
    EXPECT_FALSE(normalise_cover(bomb));
}

TEST(NormaliseCover, MaxSideIsHonoured) {
    auto image = normalise_cover(png(400, 200), 64);
    ASSERT_TRUE(image);
    EXPECT_EQ(webp_size(image->data), std::make_pair(64, 32));
}

TEST(PlaceholderCover, IsAStableWebp) {
    const auto& a = placeholder_cover();
    const auto& b = placeholder_cover();
    EXPECT_EQ(&a, &b);
    EXPECT_EQ(a.mime_type, "image/webp");
    EXPECT_EQ(webp_size(a.data), std::make_pair(256, 256));
    EXPECT_EQ(a.sha256.size(), 64u);
    // It is a valid cover input itself.
    auto again = normalise_cover(a.data);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->width, 256);
}

}  // namespace
}  // namespace sonique::imaging
