#pragma once
// The SSDP socket: UDP on port 1900, joined to 239.255.255.250 on chosen interfaces, with the
// arrival interface of each datagram (IP_PKTINFO) and a chosen source address for answers.
#include <netinet/in.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/unique_fd.hpp"
#include "dlna/interfaces.hpp"

namespace sonique::dlna::ssdp {

// Makes the socket, bound to 0.0.0.0:port with SO_REUSEADDR, IP_PKTINFO on, the multicast TTL
// set and loopback of our own multicast on (so that a control point on this host sees us).
// Throws std::system_error.
UniqueFd open_socket(int port, int ttl);
// Joins the group on each interface; returns those that joined (a failure is logged).
std::vector<Interface> join_group(int fd, const std::vector<Interface>& interfaces);

struct Received {
    std::string data;
    sockaddr_in from{};
    unsigned ifindex = 0;     // the interface it came in on
    std::uint32_t local = 0;  // the local address it was for (host order)
    bool multicast = false;   // sent to the group, not to us
    bool truncated = false;   // longer than the buffer: to be ignored
};

// Reads one datagram (non-blocking socket); false when none is waiting. Never throws.
bool receive(int fd, size_t max_size, Received& out);
// Sends text to the group out of interface f. Never throws (failures logged at debug).
void send_multicast(int fd, const Interface& f, const std::string& text, int port);
// Sends text to `to` with source address local (host order). Never throws.
void send_unicast(int fd, const sockaddr_in& to, std::uint32_t local, const std::string& text);

}  // namespace sonique::dlna::ssdp
