#pragma once
// Parameters that playlists, the play queue and bookmarks share: repeated song ids and
// non-negative numbers, read strictly (a wrong value is an error, never skipped).
#include <cstdint>
#include <string_view>
#include <vector>

#include "call.hpp"

namespace sonique::subsonic {

// Every value of the repeated parameter `name` as a track's id, in order. Throws
// SubsonicError 70 for an id that is not a song's ("al-3", "12"), 0 for more than
// services::kMaxListEntries of them. Any thread.
std::vector<int64_t> song_ids(const Call& call, std::string_view name);

// `value` of parameter `name` as an integer >= 0; throws SubsonicError 0 otherwise.
int64_t non_negative(std::string_view value, std::string_view name);

// Throws SubsonicError 50 unless the user has the role (administrators have every role).
void require_role(const Call& call, bool role, const char* what);

}  // namespace sonique::subsonic
