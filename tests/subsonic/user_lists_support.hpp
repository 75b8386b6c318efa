#pragma once
// What the playlist, play queue, bookmark and radio suites share on the shared server: two
// users with the playlist role (Owner, Other), a small catalog of ten songs written straight
// into the database (tr-16001 .. tr-16010), and a few readers of answers.
#include <string>
#include <vector>

#include "subsonic_support.hpp"

namespace sonique::test {

inline constexpr const char* kOwnerName = "Owner";
inline constexpr const char* kOwnerPassword = "owner-pass";
inline constexpr const char* kOtherName = "Other";
inline constexpr const char* kOtherPassword = "other-pass";

// Creates the users and the songs once per process.
void fill_user_lists(SubsonicServer& s);

Query as_owner();
Query as_other();

// "tr-<16000 + n>" for n in 1..10 (song n has duration 10 * n seconds).
std::string song(int n);

// The error code of an answer, -1 when it is ok.
int error_code(const Json& r);

// The ids of a JSON list of songs (entries).
std::vector<std::string> ids_of(const Json& entries);

// A POST with a form body (formPost) and f=json; the "subsonic-response".
Json post_json(SubsonicServer& s, const std::string& method, const Query& q);

}  // namespace sonique::test
