#include "db/sql_time.hpp"

namespace sonique::db {

std::string iso_timestamp_sql(std::string_view column) {
    return "to_char((" + std::string(column) +
           ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')";
}

}  // namespace sonique::db
