#pragma once
// The catalog and users of the per-user suites (annotations_test.cpp, user_lists_test.cpp):
// artists, albums and songs with ids 93xx (other suites share the database), and users of
// their own (as_user) so that alice's lists stay empty for the other suites.
#include <string>
#include <vector>

#include "subsonic_support.hpp"

namespace sonique::test {

// Artists ar-9301 "Anno Artist" and ar-9302 "Anno Guest"; albums al-9301 "Anno One" and
// al-9302 "Anno Two" (Anno Artist), al-9303 "Anno Three" (Anno Guest); songs tr-9301 "Bravo"
// and tr-9302 "Alpha" (al-9301), tr-9303 "Charlie" (al-9302), tr-9304 "Delta" (al-9303, by
// Anno Guest, crediting Anno Artist), tr-9305 "Echo" (no album, Anno Artist). Created once.
void fill_annotations(SubsonicServer& s);

// Credentials of the user `name` (password "pw-<name>"), created with the default roles (and
// the scrobbling role unless `scrobble` is false) on first use. Each test uses users of its
// own, so that the tests do not depend on their order.
Query as_user(SubsonicServer& s, const std::string& name, bool scrobble = true);

// A user's id, for direct checks of the tables.
int64_t user_id(SubsonicServer& s, const std::string& name);

// The error code of an answer, -1 when it succeeded.
int code(const Json& r);

// True when text is an ISO 8601 time in UTC as Sonique writes it (2026-12-05T23:59:01Z).
bool is_iso_time(const Json& text);

// The ids of `list` (objects with "id") that start with "prefix" (the suites' own).
std::vector<std::string> ids_of(const Json& list, const std::string& prefix);

// Counts rows of sql (SELECT count(*) ...), for checks the API cannot make.
int64_t count_rows(SubsonicServer& s, const std::string& sql);

}  // namespace sonique::test
