#include "client_filter.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <string>

namespace sonique::dlna {
namespace {

bool local_v4(const uint8_t* a) {
    return a[0] == 127 || a[0] == 10 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
           (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 100 && (a[1] & 0xC0) == 64);
}

}  // namespace

bool is_local_client(std::string_view address) {
    if (address.empty() || address.size() > 64) return false;
    std::string text(address);
    if (auto pct = text.find('%'); pct != std::string::npos) text.resize(pct);  // fe80::1%eth0
    std::array<uint8_t, 16> b{};
    if (inet_pton(AF_INET, text.c_str(), b.data()) == 1) return local_v4(b.data());
    if (inet_pton(AF_INET6, text.c_str(), b.data()) != 1) return false;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(kMapped, kMapped + 12, b.begin())) return local_v4(b.data() + 12);
    bool loopback = b[15] == 1;
    for (int i = 0; i < 15; ++i)
        loopback = loopback && b[static_cast<size_t>(i)] == 0;
    return loopback || (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
}

}  // namespace sonique::dlna
