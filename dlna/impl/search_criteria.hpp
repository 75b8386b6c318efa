#pragma once
// ContentDirectory:1 SearchCriteria (§2.5.5) turned into SQL over one kind of object: tracks,
// albums or artists, chosen by the criteria's upnp:class conditions. Values are parameters,
// never SQL text.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sonique::dlna {

enum class SearchTarget { kTracks, kAlbums, kArtists };

struct SearchSql {
    SearchTarget target = SearchTarget::kTracks;
    std::string where;                // over t/ar/al/aa (tracks), al/aa (albums), ar (artists)
    std::vector<std::string> params;  // $first, $first+1, ...
};

// The properties SearchCriteria may name (GetSearchCapabilities).
inline constexpr const char* kSearchCapabilities =
    "dc:title,dc:creator,upnp:artist,upnp:album,upnp:genre,upnp:class,dc:date";

// Parses criteria ("*" matches every track). Parameters are numbered from first_param. Throws
// SoapFault(708) for a syntax error, an unknown property or operator, or more than 64
// conditions. Any thread.
SearchSql parse_search(std::string_view criteria, int first_param);

}  // namespace sonique::dlna
