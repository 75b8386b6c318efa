#pragma once
// The paging and filter parameters that list and search methods share, read strictly: a value
// that is not a decimal integer in range answers error 0 rather than a guess.
#include <cstdint>
#include <optional>
#include <string_view>

#include "call.hpp"

namespace sonique::subsonic {

// The largest page of a list (getAlbumList's documented maximum, also used for search and
// random songs): bigger sizes are lowered to it, as Navidrome does, since clients ask for more.
inline constexpr int64_t kMaxListSize = 500;

// A count such as `size`: `fallback` when missing, lowered to `max`; throws SubsonicError 0
// when it is not a non-negative integer. Any thread.
int64_t count_param(const Call& call, std::string_view name, int64_t fallback, int64_t max);
// An offset: 0 when missing; throws SubsonicError 0 when not a non-negative integer.
int64_t offset_param(const Call& call, std::string_view name);
// A year (-9999..9999): nullopt when missing and not `required`; throws SubsonicError 10 when
// missing and required, 0 when it is not such a number.
std::optional<int> year_param(const Call& call, std::string_view name, bool required);

}  // namespace sonique::subsonic
