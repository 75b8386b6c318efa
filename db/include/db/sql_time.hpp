#pragma once
// How the contract writes timestamps, as SQL: one definition for every layer that builds JSON in
// PostgreSQL (services' reads, the scanner's sessions).
#include <string>
#include <string_view>

namespace sonique::db {

// SQL expression formatting a timestamptz as ISO-8601 in UTC with microseconds and an offset:
// "2025-03-01T12:34:56.123456+00:00" (independent of the session's TimeZone). Never throws but
// std::bad_alloc. Any thread.
std::string iso_timestamp_sql(std::string_view column);

}  // namespace sonique::db
