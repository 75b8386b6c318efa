#pragma once
// The library's change counter: ContentDirectory's SystemUpdateID for the DLNA face.
#include <cstdint>

#include "services/context.hpp"

namespace sonique::services {

// A number that grows whenever the library's content changes (scans, REST and Subsonic writes
// to artists, albums, tracks, genres, covers and playlists) and survives restarts: the
// sequence of migration 0017, modulo 2^32 (UPnP's ui4). 0 before the first change. One cheap
// statement (no table read). Throws db errors (the pool's Error kUnavailable when no connection
// is free). Any thread.
std::uint32_t library_update_id(ServiceContext& ctx);

}  // namespace sonique::services
