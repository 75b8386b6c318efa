#pragma once
// The library's change counter: ContentDirectory's SystemUpdateID for the DLNA face.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

// A number that grows whenever the library's content changes (scans, REST and Subsonic writes
// to artists, albums, tracks, genres, covers and playlists) and survives restarts: the
// sequence of migration 0017, modulo 2^32 (UPnP's ui4). 0 before the first change. One cheap
// statement (no table read). Throws db errors (the pool's Error kUnavailable when no connection
// is free). Any thread.
std::uint32_t library_update_id(ServiceContext& ctx);

// ContentDirectory's ContainerUpdateIDs: the DLNA containers (object ids) whose children changed
// after SystemUpdateID `since`, each with the SystemUpdateID of its last change (migration
// 0020), the shallowest containers first and at most `limit` of them (a scan can touch every
// album; the fixed top containers always come first). One statement. Throws db errors. Any
// thread.
std::vector<std::pair<std::string, std::uint32_t>> container_update_ids_since(ServiceContext& ctx,
                                                                              std::uint32_t since,
                                                                              std::size_t limit);

}  // namespace sonique::services
