#pragma once
// The network interfaces DLNA announces on, and which client addresses it answers.
#include <cstdint>
#include <string>
#include <vector>

namespace sonique::dlna {

// One IPv4 address of an interface. address is in host byte order.
struct Interface {
    std::string name;  // "eth0"
    unsigned index = 0;
    std::uint32_t address = 0;
    bool loopback = false;
    bool up = false;
    bool multicast = false;

    std::string address_text() const;
};

// 10/8, 172.16/12, 192.168/16 and the link-local 169.254/16 (host byte order).
bool is_private_ipv4(std::uint32_t address);
bool is_loopback_ipv4(std::uint32_t address);
// Whether a client at address may be answered: private and loopback ones always, others only
// when allow_public (SONIQUE_DLNA_ALLOW_PUBLIC).
bool client_allowed(std::uint32_t address, bool allow_public);

// Every IPv4 address of every interface (getifaddrs). Throws std::system_error.
std::vector<Interface> list_ipv4_interfaces();

// The interfaces to use among candidates. wanted empty: every interface that is up, not the
// loopback, and has a private address (one entry per interface: its first private address).
// Otherwise each wanted entry is an interface name or one of its IPv4 addresses, the loopback
// included; an entry that matches nothing is returned in missing. Never throws.
std::vector<Interface> select_interfaces(const std::vector<Interface>& candidates,
                                         const std::vector<std::string>& wanted,
                                         std::vector<std::string>* missing = nullptr);

// Parses dotted IPv4 text into host byte order; false when it is not one.
bool parse_ipv4(const std::string& text, std::uint32_t& address);
std::string format_ipv4(std::uint32_t address);

}  // namespace sonique::dlna
