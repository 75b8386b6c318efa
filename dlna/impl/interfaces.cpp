#include "dlna/interfaces.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace sonique::dlna {

std::string Interface::address_text() const {
    return format_ipv4(address);
}

bool is_private_ipv4(std::uint32_t a) {
    return (a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) ||
           (a >> 16) == ((192u << 8) | 168u) || (a >> 16) == ((169u << 8) | 254u);
}

bool is_loopback_ipv4(std::uint32_t a) {
    return (a >> 24) == 127;
}

bool client_allowed(std::uint32_t a, bool allow_public) {
    return allow_public || is_private_ipv4(a) || is_loopback_ipv4(a);
}

bool parse_ipv4(const std::string& text, std::uint32_t& address) {
    in_addr a{};
    if (::inet_pton(AF_INET, text.c_str(), &a) != 1) return false;
    address = ntohl(a.s_addr);
    return true;
}

std::string format_ipv4(std::uint32_t address) {
    in_addr a{};
    a.s_addr = htonl(address);
    char buf[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
}

std::vector<Interface> list_ipv4_interfaces() {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        throw std::system_error(errno, std::generic_category(), "getifaddrs");
    std::vector<Interface> out;
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !i->ifa_name) continue;
        Interface f;
        f.name = i->ifa_name;
        f.index = ::if_nametoindex(i->ifa_name);
        f.address = ntohl(reinterpret_cast<const sockaddr_in*>(i->ifa_addr)->sin_addr.s_addr);
        f.loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
        f.up = (i->ifa_flags & IFF_UP) != 0 && (i->ifa_flags & IFF_RUNNING) != 0;
        f.multicast = (i->ifa_flags & IFF_MULTICAST) != 0;
        out.push_back(std::move(f));
    }
    ::freeifaddrs(list);
    return out;
}

std::vector<Interface> select_interfaces(const std::vector<Interface>& candidates,
                                         const std::vector<std::string>& wanted,
                                         std::vector<std::string>* missing) {
    std::vector<Interface> out;
    auto add = [&out](const Interface& f) {
        bool seen = std::any_of(out.begin(), out.end(),
                                [&](const Interface& o) { return o.index == f.index; });
        if (!seen) out.push_back(f);
    };
    if (wanted.empty()) {
        for (const auto& f : candidates)
            if (f.up && !f.loopback && !is_loopback_ipv4(f.address) && is_private_ipv4(f.address))
                add(f);
        return out;
    }
    for (const auto& w : wanted) {
        std::uint32_t addr = 0;
        bool is_addr = parse_ipv4(w, addr);
        bool found = false;
        // A name picks the interface's first private address (else its first address).
        const Interface* best = nullptr;
        for (const auto& f : candidates) {
            if (is_addr ? f.address != addr : f.name != w) continue;
            if (!best || (!is_private_ipv4(best->address) && is_private_ipv4(f.address))) best = &f;
        }
        if (best) {
            add(*best);
            found = true;
        }
        if (!found && missing) missing->push_back(w);
    }
    return out;
}

}  // namespace sonique::dlna
