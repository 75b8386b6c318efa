#pragma once
// Shared by the files of the library GraphQL schema (graphql_*.cpp).
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "db/pool.hpp"
#include "graphql/error.hpp"
#include "graphql/execute.hpp"
#include "graphql/schema.hpp"
#include "services/context.hpp"

namespace sonique::services {
class Similarity;
}

namespace sonique::services::gql {

// The per-request context handed to every resolver: one lease taken on first use, and a count
// of SQL round trips.
struct RequestContext {
    ServiceContext& services;
    std::optional<db::Lease> lease;
    int round_trips = 0;
    Similarity* similarity = nullptr;  // Artist.similarArtists; null: stored rows only

    db::Connection& conn() {
        if (!lease) lease.emplace(services.pool.acquire());
        return **lease;
    }
    db::Result exec(std::string_view sql, const db::Params& params = {}) {
        ++round_trips;
        return conn().exec(sql, params);
    }
    // For statements whose plan does not depend on the values (ids, pages): planned once per
    // connection instead of on every request (db::Connection::exec_generic). One round trip.
    db::Result exec_generic(std::string_view sql, const db::Params& params = {}) {
        ++round_trips;
        return conn().exec_generic(sql, params);
    }
};

inline RequestContext& request(const graphql::ResolveInfo& info) {
    return *static_cast<RequestContext*>(info.context);
}

// Object types and query fields (graphql_reads.cpp), mutations (graphql_mutations.cpp).
void add_object_types(graphql::Schema& s);
void add_query_fields(graphql::Schema& s);
void add_mutations(graphql::Schema& s);

// The columns of an entity's SELECT: those the selection asks for, plus the keys the next
// level's loaders read (id, albumArtistId, albumId); covers through a LEFT JOIN when asked for.
// Built once per resolver call, not per row.
class RowFields {
  public:
    // info null: every field.
    static RowFields artist(const graphql::ResolveInfo* info);
    static RowFields album(const graphql::ResolveInfo* info);
    static RowFields track(const graphql::ResolveInfo* info);
    // "SELECT <columns> FROM <table> e [LEFT JOIN ...] ": append WHERE / ORDER BY (alias e).
    std::string select() const;
    // One row of that SELECT as a camelCase object, covers as [Cover].
    Json read(const db::Result& r, int row) const;

    enum class T;
    struct Col;
    struct Entity;

  private:
    RowFields(const Entity& e, const graphql::ResolveInfo* info);
    const Entity* entity_;
    std::vector<const Col*> wanted_;
    bool covers_ = false;
};

// A field that is a plain column of the entity's own table ("artist", "album", "track"; alias
// e): its SQL and whether it is text. nullopt for other fields (audio features, covers, lists)
// and Float columns.
struct PlainColumn {
    std::string sql;
    bool text;
};
std::optional<PlainColumn> plain_column(std::string_view entity, std::string_view field);

// Whole answers built by one SQL statement (graphql_one_statement.cpp), for the queries whose
// answer it gives byte for byte as the engine would. Any thread.
class OneStatements {
  public:
    explicit OneStatements(const graphql::Engine& engine);
    ~OneStatements();
    // True when request was answered (out set; with errors when the database is unavailable, as
    // the engine answers then). False when the engine must answer it: a document it does not
    // compile, a variable that is missing or not a 32-bit integer. Throws internal errors
    // (sonique::Error kInternal) and std::bad_alloc.
    bool answer(const graphql::Request& request, RequestContext& rc, std::string& out);

  private:
    struct Plans;
    const graphql::Engine& engine_;
    std::unique_ptr<Plans> plans_;
};

// {"1,2,3"} array literal of the "id" of each parent, for "= ANY($1::bigint[])".
std::string id_array(const std::vector<const Json*>& parents, const char* key);

// skip >= 0 and 1 <= limit <= 1000, else a FieldError.
void check_page(const Json& args);

}  // namespace sonique::services::gql
