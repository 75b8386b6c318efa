#pragma once
// SQL shared by the GraphQL files.

// ISO-8601 in UTC with microseconds and an offset, whatever the session time zone.
#define GQL_TS(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
