#include "services/tags.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "services/shapes_input.hpp"
#include "shapes.hpp"

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

std::string TagService::list(const std::string& kind) {
    const KindSql& sql = kind_sql(kind);
    return ctx_.cache.get_or_load(cache::ns::kGenres, "tags:" + kind, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(conn->exec(sql.list));
    });
}

std::string TagService::create(const std::string& kind, const Json& body) {
    const KindSql& sql = kind_sql(kind);
    Fields f(body, {"body"});
    auto name = f.text("name", true);
    if (name && trim(*name).empty())
        f.add_issue("name", "String should have at least 1 character", "string_too_short");
    f.check();
    std::string out;
    try {
        auto conn = ctx_.pool.acquire();
        out = conn->exec(sql.insert, db::Params(trim(*name))).str(0, 0);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kConflict) throw bad_request(sql.duplicate);
        throw;
    }
    invalidate_catalog(ctx_.cache);
    return out;
}

}  // namespace sonique::services
