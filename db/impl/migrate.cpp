#include "db/migrate.hpp"

#include <algorithm>
#include <set>

#include "core/embedded.hpp"
#include "core/log.hpp"
#include "core/strings.hpp"
#include "db/lock_keys.hpp"
#include "db/transaction.hpp"

namespace sonique {
std::span<const EmbeddedFile> migration_files();
}

namespace sonique::db {
namespace {
constexpr int64_t kLockKey = lock_keys::kMigrations;  // constant across versions

// Releases the advisory lock whatever happens.
struct AdvisoryLock {
    Connection& conn;
    explicit AdvisoryLock(Connection& c) : conn(c) {
        conn.exec("SELECT pg_advisory_lock($1::bigint)", Params(kLockKey));
    }
    ~AdvisoryLock() {
        try {
            conn.exec("SELECT pg_advisory_unlock($1::bigint)", Params(kLockKey));
        } catch (...) {
        }
    }
};
// The constant-time row counts (migration 0003) made right where they drifted (0008): after a
// data-only restore, or writes made with triggers disabled.
void recount_rows(Connection& conn) {
    for (const char* table : {"artists", "albums", "tracks"}) {
        Transaction tx(conn);
        bool wrong = conn.exec("SELECT sonique_recount_rows($1)", Params(table)).str(0, 0) == "t";
        tx.commit();
        if (wrong) log::warn("row count of ", table, " corrected");
    }
}
}  // namespace

std::vector<Migration> migrations() {
    std::vector<Migration> out;
    for (const auto& f : migration_files()) {
        auto underscore = f.name.find('_');
        auto version = parse_int(f.name.substr(0, underscore));
        if (!version) continue;
        std::string name(f.name.substr(underscore + 1));
        if (name.size() > 4) name.resize(name.size() - 4);  // ".sql"
        out.push_back({static_cast<int>(*version), name, f.data});
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
    return out;
}

int migrate(Connection& conn) {
    AdvisoryLock lock(conn);
    conn.exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    std::set<int64_t> applied;
    Result r = conn.exec("SELECT version FROM schema_migrations");
    for (int i = 0; i < r.rows(); ++i)
        applied.insert(r.int64(i, 0));
    int count = 0;
    for (const auto& m : migrations()) {
        if (applied.count(m.version)) continue;
        Transaction tx(conn);
        conn.exec_script(m.sql);
        conn.exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                  Params(m.version, m.name));
        tx.commit();
        log::info("applied migration ", m.version, " ", m.name);
        ++count;
    }
    recount_rows(conn);
    return count;
}

}  // namespace sonique::db
