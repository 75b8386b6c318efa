#include "ssdp_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/log.hpp"
#include "ssdp_messages.hpp"

namespace sonique::dlna::ssdp {
namespace {

[[noreturn]] void fail(const char* what) {
    throw std::system_error(errno, std::generic_category(), std::string("ssdp: ") + what);
}

std::uint32_t group_address() {
    return ntohl(::inet_addr(kGroup));
}

}  // namespace

UniqueFd open_socket(int port, int ttl) {
    UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) fail("socket");
    int one = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
        fail("SO_REUSEADDR");
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &one, sizeof one) != 0) fail("IP_PKTINFO");
    unsigned char t = static_cast<unsigned char>(ttl);
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_TTL, &t, sizeof t) != 0)
        fail("IP_MULTICAST_TTL");
    unsigned char loop = 1;
    if (::setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop) != 0)
        fail("IP_MULTICAST_LOOP");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
    return fd;
}

std::vector<Interface> join_group(int fd, const std::vector<Interface>& interfaces) {
    std::vector<Interface> joined;
    for (const auto& f : interfaces) {
        ip_mreqn m{};
        m.imr_multiaddr.s_addr = htonl(group_address());
        m.imr_address.s_addr = htonl(f.address);
        m.imr_ifindex = static_cast<int>(f.index);
        if (::setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0 &&
            errno != EADDRINUSE) {
            log::warn("dlna: cannot join ", kGroup, " on ", f.name, " (", f.address_text(),
                      "): ", std::strerror(errno));
            continue;
        }
        joined.push_back(f);
    }
    return joined;
}

bool receive(int fd, size_t max_size, Received& out) {
    out.data.resize(max_size);
    iovec iov{out.data.data(), out.data.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo))];
    msghdr msg{};
    msg.msg_name = &out.from;
    msg.msg_namelen = sizeof out.from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = ::recvmsg(fd, &msg, MSG_TRUNC);
    if (n < 0) return false;
    out.truncated = (msg.msg_flags & MSG_TRUNC) != 0 || static_cast<size_t>(n) > max_size;
    out.data.resize(std::min(static_cast<size_t>(n), max_size));
    out.ifindex = 0;
    out.local = 0;
    out.multicast = false;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != IPPROTO_IP || c->cmsg_type != IP_PKTINFO) continue;
        in_pktinfo info{};
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        out.ifindex = static_cast<unsigned>(info.ipi_ifindex);
        out.local = ntohl(info.ipi_spec_dst.s_addr);
        out.multicast = ntohl(info.ipi_addr.s_addr) == group_address();
    }
    return true;
}

void send_multicast(int fd, const Interface& f, const std::string& text, int port) {
    ip_mreqn m{};
    m.imr_address.s_addr = htonl(f.address);
    m.imr_ifindex = static_cast<int>(f.index);
    if (::setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof m) != 0) {
        log::debug("dlna: IP_MULTICAST_IF ", f.name, ": ", std::strerror(errno));
        return;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(group_address());
    if (::sendto(fd, text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to) < 0)
        log::debug("dlna: multicast on ", f.name, ": ", std::strerror(errno));
}

void send_unicast(int fd, const sockaddr_in& to, std::uint32_t local, const std::string& text) {
    iovec iov{const_cast<char*>(text.data()), text.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(in_pktinfo))] = {};
    msghdr msg{};
    msg.msg_name = const_cast<sockaddr_in*>(&to);
    msg.msg_namelen = sizeof to;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
    in_pktinfo info{};
    info.ipi_spec_dst.s_addr = htonl(local);
    std::memcpy(CMSG_DATA(c), &info, sizeof info);
    if (::sendmsg(fd, &msg, 0) < 0) log::debug("dlna: answer: ", std::strerror(errno));
}

}  // namespace sonique::dlna::ssdp
