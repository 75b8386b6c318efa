// Cover normalisation speed on realistic album art: photo-like JPEGs and PNGs of common sizes
// (imaging/synthetic_cover.hpp). Baseline, measured in the same run: the plain stb pipeline
// (stb_image decode, stb_image_resize sRGB resize, libwebp at the same settings), i.e. what
// normalise_cover did before it decoded JPEGs with libjpeg-turbo. Prints one JSON line per image.
// Usage: sonique-bench-covers [REPEATS]
#include <stb_image.h>
#include <stb_image_resize.h>
#include <webp/encode.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "imaging/cover_image.hpp"
#include "imaging/synthetic_cover.hpp"

namespace {

bool baseline(const std::string& bytes, int max_side) {
    int w = 0, h = 0, comp = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> px(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                              static_cast<int>(bytes.size()), &w, &h, &comp, 3),
        stbi_image_free);
    if (!px) return false;
    const double scale = std::min(1.0, static_cast<double>(max_side) / std::max(w, h));
    const int ow = std::max(1, static_cast<int>(std::lround(w * scale)));
    const int oh = std::max(1, static_cast<int>(std::lround(h * scale)));
    std::vector<unsigned char> out(static_cast<size_t>(ow) * oh * 3);
    stbir_resize_uint8_srgb(px.get(), w, h, 0, out.data(), ow, oh, 0, 3, STBIR_ALPHA_CHANNEL_NONE,
                            0);
    WebPConfig config;
    WebPConfigInit(&config);
    config.quality = 80;
    config.method = 0;
    // libwebp's own structures, as a plain pipeline would use them; freed by these guards.
    WebPPicture pic;
    if (!WebPPictureInit(&pic)) return false;
    std::unique_ptr<WebPPicture, void (*)(WebPPicture*)> free_pic(&pic, WebPPictureFree);
    pic.width = ow;
    pic.height = oh;
    WebPPictureImportRGB(&pic, out.data(), ow * 3);
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    std::unique_ptr<WebPMemoryWriter, void (*)(WebPMemoryWriter*)> clear_writer(
        &writer, WebPMemoryWriterClear);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &writer;
    return WebPEncode(&config, &pic) && writer.size > 0;
}

template <typename F>
double ms_each(int repeats, F&& f) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i)
        if (!f()) std::exit(1);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
               .count() /
           repeats;
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
    struct Case {
        const char* format;
        int side;
    };
    for (Case c : {Case{"jpeg", 300}, Case{"jpeg", 600}, Case{"jpeg", 1000}, Case{"jpeg", 1200},
                   Case{"jpeg", 1500}, Case{"jpeg", 3000}, Case{"png", 600}, Case{"png", 1200}}) {
        const std::string bytes = std::string(c.format) == "jpeg"
                                      ? sonique::imaging::synthetic_cover_jpeg(c.side, 7)
                                      : sonique::imaging::synthetic_cover_png(c.side, 7);
        double base = ms_each(repeats, [&] { return baseline(bytes, 256); });
        double ours = ms_each(
            repeats, [&] { return sonique::imaging::normalise_cover(bytes, 256).has_value(); });
        std::printf(
            "{\"format\": \"%s\", \"side\": %d, \"bytes\": %zu, \"stb_pipeline_ms\": %.2f, "
            "\"normalise_cover_ms\": %.2f, \"speedup\": %.1f}\n",
            c.format, c.side, bytes.size(), base, ours, base / ours);
    }
}
