#include "tcp.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <system_error>

namespace sonique::dlna::tcp {
namespace {

int remaining_ms(Deadline deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    return left.count() <= 0 ? 0 : static_cast<int>(left.count());
}

bool wait_for(int fd, short events, Deadline deadline) {
    for (;;) {
        int ms = remaining_ms(deadline);
        if (ms == 0) return false;
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, ms);
        if (n > 0) return true;
        if (n < 0 && errno == EINTR) continue;
        return false;
    }
}

}  // namespace

UniqueFd listen_on(const std::string& host, int port) {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) throw std::system_error(errno, std::generic_category(), "gena: socket");
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1)
        throw std::system_error(EINVAL, std::generic_category(), "gena: listen address " + host);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        throw std::system_error(errno, std::generic_category(),
                                "gena: bind " + host + ":" + std::to_string(port));
    if (::listen(fd.get(), 16) != 0)
        throw std::system_error(errno, std::generic_category(), "gena: listen");
    return fd;
}

int local_port(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return 0;
    return ntohs(a.sin_port);
}

UniqueFd connect_to(std::uint32_t host, int port, Deadline deadline) {
    UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd.valid()) return fd;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(host);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        if (errno != EINPROGRESS || !wait_for(fd.get(), POLLOUT, deadline)) return UniqueFd();
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
            return UniqueFd();
    }
    return fd;
}

bool send_all(int fd, const std::string& data, Deadline deadline) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
        if (n > 0) {
            off += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (!wait_for(fd, POLLOUT, deadline)) return false;
    }
    return true;
}

bool read_head(int fd, size_t max, Deadline deadline, std::string& head) {
    head.clear();
    char buf[1024];
    for (;;) {
        auto end = head.find("\r\n\r\n");
        if (end == std::string::npos) end = head.find("\n\n");
        if (end != std::string::npos) {
            head.resize(end);
            return true;
        }
        if (head.size() > max) return false;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            head.append(buf, static_cast<size_t>(n));
            continue;
        }
        if (n == 0) return false;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
        if (!wait_for(fd, POLLIN, deadline)) return false;
    }
}

}  // namespace sonique::dlna::tcp
