#pragma once
// Which clients the media server answers: DLNA has no authentication, so by default only the
// local networks.
#include <string_view>

namespace sonique::dlna {

// True for loopback, RFC 1918, CGNAT (100.64/10), link-local, IPv6 ULA (fc00::/7) and
// link-local (fe80::/10), and IPv4-mapped forms of those. False for anything else, unparsable
// text included. Any thread.
bool is_local_client(std::string_view address);

}  // namespace sonique::dlna
