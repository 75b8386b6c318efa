#pragma once
// The Cover shape of api-contract.md §2, built by PostgreSQL so that lists never issue one query
// per row.
//
// Cover: {id, entity_type, entity_id, url: "/covers/<type>/<id>", mime_type, date_added,
// date_modified, cover_data: null}. cover_data is always null here: image bytes are never
// inlined in lists or embedded views.
//
// Two ways to use it:
//  - inside a query: covers_json_sql("artist", "a.id") is a SQL expression (json) giving the
//    entity's [Cover] list ('[]' when none), usable in a SELECT list or json_build_object;
//    cover_json_sql("cv") is the single Cover object of a row of `covers` aliased cv.
//  - from C++: load_covers(conn, "album", ids) fetches the covers of many entities in ONE
//    query and returns {entity_id -> [Cover]} (ids without a cover map to an empty array).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"
#include "db/connection.hpp"

namespace sonique::services {

// SQL expression formatting a timestamptz as ISO-8601 in UTC with microseconds and an offset:
// "2025-03-01T12:34:56.123456+00:00" (independent of the session's TimeZone).
std::string iso_ts_sql(std::string_view column);

// SQL expression (json object) of one covers row aliased `alias` (e.g. "cv").
std::string cover_json_sql(std::string_view alias);

// SQL expression (json array) of the covers of entity_type ("artist"|"album"|"track", a
// trusted constant, never user input) whose id is the SQL expression id_expr (e.g. "a.id").
std::string covers_json_sql(std::string_view entity_type, std::string_view id_expr);

// The covers of many entities in one query. entity_type must be artist, album or track
// (std::invalid_argument otherwise). Throws db::DbError. Same thread as the connection.
std::map<int64_t, Json> load_covers(db::Connection& conn, std::string_view entity_type,
                                    const std::vector<int64_t>& ids);

}  // namespace sonique::services
