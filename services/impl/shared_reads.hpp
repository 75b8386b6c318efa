#pragma once
// The cached reads, reads by id and deletes that every catalog service repeats, written once.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/json_text.hpp"
#include "db/connection.hpp"
#include "services/context.hpp"

namespace sonique::services {

// The JSON text of the first column of the first row of sql (no parameters; fallback when it
// returns no row), cached under (ns, key) until the next catalog write. Throws db::DbError. Any
// thread.
JsonText cached_json(ServiceContext& ctx, std::string_view ns, std::string_view key,
                     const std::string& sql, std::string_view fallback = "[]");

// The JSON of the one row that sql ($1 = id, one json column) returns, or not_found(detail).
// Throws db::DbError. Same thread as the connection.
JsonText row_by_id(db::Connection& conn, const std::string& sql, int64_t id, const char* detail);

// row_by_id through the cache: cached under (ns, "id:<id>") until the next catalog write. Throws
// not_found(detail) (never cached) and db::DbError. Any thread.
JsonText cached_by_id(ServiceContext& ctx, std::string_view ns, const std::string& sql, int64_t id,
                      const char* detail);

// For "SELECT EXISTS (<owner>), (<json list>)": the list, or not_found(detail) when the owner
// does not exist.
JsonText owned_list(const db::Result& result, const char* detail);

// Runs sql (a DELETE with $1 = id); not_found(detail) when it deleted no row, else invalidates
// the catalog cache. Throws db::DbError. Any thread.
void delete_or_404(ServiceContext& ctx, const char* sql, int64_t id, const char* detail);

}  // namespace sonique::services
