#pragma once
// In-memory templates of tiny valid audio files and images for the demo library generator.
#include <cstdint>
#include <string>

namespace sonique::scanner::demo {

std::string wav_template();   // 0.5 s of 8 kHz mono 16-bit silence
std::string mp3_template();   // 20 silent MPEG-1 Layer III frames (about 0.5 s)
std::string flac_template();  // "fLaC" + STREAMINFO describing 1 s, no frames
// A 48x48 24-bit BMP of one colour (stb decodes BMP).
std::string bmp_image(uint32_t rgb);

}  // namespace sonique::scanner::demo
