#include "services/tags.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

// The constant SQL of each kind: table names are never taken from input.
struct KindSql {
    const char* list;
    const char* insert;
    const char* duplicate;
};

const KindSql& kind_sql(const std::string& kind) {
    static const KindSql genre{
        "SELECT COALESCE(json_agg(json_build_object('id', id, 'name', name) ORDER BY lower(name), "
        "id), '[]'::json) FROM genre_tags",
        "INSERT INTO genre_tags (name) VALUES ($1) RETURNING json_build_object('id', id, 'name', "
        "name)",
        "Un tag de genre avec ce nom existe déjà"};
    static const KindSql mood{
        "SELECT COALESCE(json_agg(json_build_object('id', id, 'name', name) ORDER BY lower(name), "
        "id), '[]'::json) FROM mood_tags",
        "INSERT INTO mood_tags (name) VALUES ($1) RETURNING json_build_object('id', id, 'name', "
        "name)",
        "Un tag d'humeur avec ce nom existe déjà"};
    if (kind == "genre") return genre;
    if (kind == "mood") return mood;
    throw bad_request(kInvalidTagType);
}

}  // namespace

JsonText TagService::list(const std::string& kind) {
    const KindSql& sql = kind_sql(kind);
    return cached_json(ctx_, cache::ns::kGenres, "tags:" + kind, sql.list);
}

JsonText TagService::create(const std::string& kind, const std::string& name) {
    const KindSql& sql = kind_sql(kind);
    JsonText out;
    try {
        auto conn = ctx_.pool.acquire();
        out = JsonText(conn->exec(sql.insert, db::Params(name)).str(0, 0));
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kConflict) throw bad_request(sql.duplicate);
        throw;
    }
    invalidate_catalog(ctx_.cache);
    return out;
}

}  // namespace sonique::services
