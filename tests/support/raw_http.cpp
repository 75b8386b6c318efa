#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "core/strings.hpp"

namespace sonique::test {
namespace {

// The first complete response at the start of data, removed from it.
std::optional<RawResponse> take_response(std::string& data) {
    auto end = data.find("\r\n\r\n");
    if (end == std::string::npos || data.size() < 12) return std::nullopt;
    RawResponse r;
    r.head = data.substr(0, end);
    r.status = std::atoi(data.substr(9, 3).c_str());
    size_t length = 0;
    const std::string lower = to_lower(r.head);
    auto at = lower.find("\r\ncontent-length:");
    if (at != std::string::npos) length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    if (data.size() < end + 4 + length) return std::nullopt;
    r.body = data.substr(end + 4, length);
    data.erase(0, end + 4 + length);
    return r;
}

}  // namespace

RawConnection::RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval tv{0, 200000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        ::close(fd_);
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
}

RawConnection::~RawConnection() {
    ::close(fd_);
}

std::optional<RawResponse> RawConnection::exchange(const std::string& request, int timeout_s) {
    if (::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size()))
        return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    char buf[16384];
    while (std::chrono::steady_clock::now() < deadline) {
        if (auto r = take_response(pending_)) return r;
        ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
        if (n == 0) break;  // closed by the server
        if (n > 0) pending_.append(buf, static_cast<size_t>(n));
    }
    return take_response(pending_);
}

}  // namespace sonique::test
