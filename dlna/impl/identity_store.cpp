#include "dlna/identity_store.hpp"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <system_error>

#include "core/log.hpp"

namespace sonique::dlna {
namespace {

constexpr const char* kFileName = "dlna-device-uuid";

std::string host_name() {
    std::array<char, 256> buf{};
    if (::gethostname(buf.data(), buf.size() - 1) != 0 || buf[0] == '\0') return "localhost";
    return buf.data();
}

// 16 bytes as a version-4-shaped UUID (the variant and version bits set).
std::string format_uuid(std::array<std::uint8_t, 16> b) {
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[b[i] >> 4];
        out += hex[b[i] & 0x0f];
    }
    return out;
}

std::string random_uuid() {
    std::random_device rd;  // getrandom(2) on Linux
    std::array<std::uint8_t, 16> b{};
    for (auto& x : b)
        x = static_cast<std::uint8_t>(rd());
    return format_uuid(b);
}

// FNV-1a over the text, twice with different seeds: stable across builds and runs, unlike
// std::hash, which the standard does not promise to keep.
std::string derived_uuid(const std::string& text) {
    std::array<std::uint8_t, 16> b{};
    for (int half = 0; half < 2; ++half) {
        std::uint64_t h = half == 0 ? 1469598103934665603ULL : 1099511628211ULL * 7919;
        for (unsigned char ch : text) {
            h ^= ch;
            h *= 1099511628211ULL;
        }
        for (int i = 0; i < 8; ++i)
            b[half * 8 + i] = static_cast<std::uint8_t>(h >> (8 * i));
    }
    return format_uuid(b);
}

}  // namespace

bool is_uuid(const std::string& t) {
    if (t.size() != 36) return false;
    for (size_t i = 0; i < t.size(); ++i) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? t[i] != '-' : !((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')))
            return false;
    }
    return true;
}

std::string load_or_create_device_uuid(const std::string& data_dir) {
    namespace fs = std::filesystem;
    fs::path file = fs::path(data_dir) / kFileName;
    {
        std::ifstream in(file);
        std::string line;
        if (in && std::getline(in, line) && is_uuid(line)) return line;
    }
    std::string uuid = random_uuid();
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    // Written to a temporary name and renamed, so that a crash never leaves half a UUID.
    fs::path tmp = file;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << uuid << '\n';
        out.flush();
        if (!out) ec = std::make_error_code(std::errc::io_error);
    }
    if (!ec) fs::rename(tmp, file, ec);
    if (ec) {
        fs::remove(tmp, ec);
        uuid = derived_uuid(host_name() + "|" + data_dir);
        log::warn("dlna: cannot write ", file.string(),
                  "; using a device UUID derived from the host name: ", uuid);
    }
    return uuid;
}

std::string friendly_name(const Config& config) {
    if (!config.dlna_name.empty()) return config.dlna_name;
    return "Sonique on " + host_name();
}

}  // namespace sonique::dlna
