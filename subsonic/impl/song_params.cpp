#include "song_params.hpp"

#include "core/strings.hpp"
#include "ids.hpp"
#include "services/subsonic_playlists.hpp"

namespace sonique::subsonic {

std::vector<int64_t> song_ids(const Call& call, std::string_view name) {
    auto values = call.all(name);
    if (values.size() > services::kMaxListEntries)
        throw SubsonicError(kGeneric, "At most " + std::to_string(services::kMaxListEntries) +
                                          " songs may be given in " + std::string(name));
    std::vector<int64_t> ids;
    ids.reserve(values.size());
    for (const auto& v : values) {
        auto id = parse_id(v, IdKind::kTrack);
        if (!id)
            throw SubsonicError(kNotFound, "Song not found: " + sanitize_utf8(v.substr(0, 64)));
        ids.push_back(*id);
    }
    return ids;
}

int64_t non_negative(std::string_view value, std::string_view name) {
    auto n = parse_int(value);
    if (!n || *n < 0)
        throw SubsonicError(kGeneric,
                            "Parameter " + std::string(name) + " must be a non-negative integer");
    return *n;
}

void require_role(const Call& call, bool role, const char* what) {
    if (!call.user || !(role || call.user->roles.admin))
        throw SubsonicError(kNotAuthorised, std::string("User is not authorized to ") + what);
}

}  // namespace sonique::subsonic
