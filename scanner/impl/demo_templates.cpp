#include "demo_templates.hpp"

namespace sonique::scanner::demo {
namespace {

void le(std::string& s, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

std::string wav_template() {
    const uint32_t rate = 8000, samples = 4000, data = samples * 2;
    std::string s = "RIFF";
    le(s, 36 + data, 4);
    s += "WAVEfmt ";
    le(s, 16, 4);
    le(s, 1, 2);  // PCM
    le(s, 1, 2);  // mono
    le(s, rate, 4);
    le(s, rate * 2, 4);  // byte rate
    le(s, 2, 2);         // block align
    le(s, 16, 2);        // bits
    s += "data";
    le(s, data, 4);
    s.append(data, '\0');
    return s;
}

std::string mp3_template() {
    // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, stereo, no CRC: 417-byte frames.
    std::string frame("\xFF\xFB\x90\x00", 4);
    frame.append(417 - 4, '\0');
    std::string s;
    for (int i = 0; i < 20; ++i)
        s += frame;
    return s;
}

std::string flac_template() {
    std::string s = "fLaC";
    s.push_back(static_cast<char>(0x80));  // last metadata block, STREAMINFO
    s.append("\x00\x00\x22", 3);           // 34 bytes
    s.append("\x10\x00\x10\x00", 4);       // min/max block size 4096
    s.append(6, '\0');                     // min/max frame size unknown
    // 20 bits sample rate 44100, 3 bits channels-1 (1), 5 bits bps-1 (15), 36 bits samples.
    uint64_t packed = (uint64_t{44100} << 44) | (uint64_t{1} << 41) | (uint64_t{15} << 36) | 44100;
    for (int i = 7; i >= 0; --i)
        s.push_back(static_cast<char>((packed >> (8 * i)) & 0xff));
    s.append(16, '\0');  // MD5 unknown
    return s;
}

std::string bmp_image(uint32_t rgb) {
    const uint32_t w = 48, h = 48, row = w * 3, size = row * h;
    std::string s = "BM";
    le(s, 54 + size, 4);
    le(s, 0, 4);
    le(s, 54, 4);
    le(s, 40, 4);
    le(s, w, 4);
    le(s, h, 4);
    le(s, 1, 2);
    le(s, 24, 2);
    le(s, 0, 4);
    le(s, size, 4);
    le(s, 2835, 4);
    le(s, 2835, 4);
    le(s, 0, 4);
    le(s, 0, 4);
    for (uint32_t i = 0; i < w * h; ++i) {
        s.push_back(static_cast<char>(rgb & 0xff));
        s.push_back(static_cast<char>((rgb >> 8) & 0xff));
        s.push_back(static_cast<char>((rgb >> 16) & 0xff));
    }
    return s;
}

}  // namespace sonique::scanner::demo
