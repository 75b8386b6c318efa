#pragma once
// Numbered SQL migrations compiled into the binary (db/migrations/NNNN_name.sql).
#include <string>
#include <vector>

#include "db/connection.hpp"

namespace sonique::db {

struct Migration {
    int version;
    std::string name;
    std::string_view sql;
};

// The embedded migrations in version order.
std::vector<Migration> migrations();

// Applies missing migrations under an advisory lock, each in its own transaction, and records
// them in schema_migrations. Two processes migrating together apply each migration once.
// Then corrects the tables' row counts where they drifted from the rows (a data-only restore).
// Returns how many were applied. Throws DbError.
int migrate(Connection& conn);

}  // namespace sonique::db
