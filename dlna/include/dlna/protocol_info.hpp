#pragma once
// What the media server serves, as UPnP protocolInfo: shared by ConnectionManager's
// GetProtocolInfo (HTTP half) and its evented SourceProtocolInfo (network half).
#include <string>

namespace sonique::dlna {

// What GetProtocolInfo's Source lists: every profile this server may serve. Any thread.
std::string source_protocol_info();

}  // namespace sonique::dlna
