#pragma once
// A server of its own for the folder, lyrics, info, access and cache suites: two roots with a
// small catalog written straight into the database (paths below the roots), so that no other
// suite's rows change what these answers hold.
#include "subsonic_support.hpp"

namespace sonique::test {

inline constexpr const char* kMusicRoot = "/srv/lib/Music";
inline constexpr const char* kSpokenRoot = "/srv/lib/Spoken/";
// A user who may see the second root (Spoken) only, created through createUser.
inline constexpr const char* kBobName = "bob";
inline constexpr const char* kBobPassword = "bobs pass";

// Created before the first test of the binary that uses it, dropped after the last.
SubsonicServer& browse_server();
Query as_bob();

}  // namespace sonique::test
