#include "services/genres.hpp"

#include <functional>

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "services/shapes_input.hpp"
#include "shapes.hpp"

namespace sonique::services {
namespace {

constexpr const char* kCreateFailed =
    "Erreur lors de la création du genre : un genre avec ce nom existe déjà";
constexpr const char* kUpdateFailed =
    "Erreur lors de la mise à jour du genre : un genre avec ce nom existe déjà";

std::string read_name(const Json& body) {
    Fields f(body, {"body"});
    auto name = f.text("name", true);
    if (name && trim(*name).empty())
        f.add_issue("name", "String should have at least 1 character", "string_too_short");
    f.check();
    return trim(*name);
}

std::string rethrow_as(const char* detail, const std::function<std::string()>& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kConflict) throw bad_request(detail);
        throw;
    }
}

}  // namespace

std::string GenreService::list(int64_t skip, int64_t limit) {
    static const std::string sql =
        "SELECT COALESCE(json_agg(s.j ORDER BY s.k, s.id), "
        "'[]'::json) FROM (SELECT " +
        genre_json_sql() +
        " AS j, lower(g.name) AS k, g.id FROM genres g ORDER BY "
        "lower(g.name), g.id OFFSET $1 LIMIT $2) s";
    std::string key = "genres:" + std::to_string(skip) + ":" + std::to_string(limit);
    return ctx_.cache.get_or_load(cache::ns::kGenres, key, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(conn->exec(sql, db::Params(skip, limit)));
    });
}

std::string GenreService::search(const std::optional<std::string>& name, bool exact, int64_t skip,
                                 int64_t limit) {
    static const std::string sql =
        "SELECT COALESCE(json_agg(s.j ORDER BY s.k, s.id), '[]'::json) FROM (SELECT " +
        genre_json_sql() +
        " AS j, lower(g.name) AS k, g.id FROM genres g WHERE $1::text IS "
        "NULL OR ($2 AND lower(g.name) = lower($1)) OR (NOT $2 AND lower(g.name) LIKE "
        "lower($3)) ORDER BY lower(g.name), g.id OFFSET $4 LIMIT $5) s";
    std::optional<std::string> pattern;
    if (name) pattern = like_pattern(*name);
    auto conn = ctx_.pool.acquire();
    return first_json(conn->exec(sql, db::Params(name, exact, pattern, skip, limit)));
}

std::string GenreService::create(const Json& body) {
    static const std::string sql =
        "INSERT INTO genres AS g (name) VALUES ($1) RETURNING " + genre_json_sql();
    std::string name = read_name(body);
    std::string out = rethrow_as(kCreateFailed, [&] {
        auto conn = ctx_.pool.acquire();
        return conn->exec(sql, db::Params(name)).str(0, 0);
    });
    invalidate_catalog(ctx_.cache);
    return out;
}

std::string GenreService::get(int64_t id) {
    static const std::string sql = "SELECT " + genre_json_sql() + " FROM genres g WHERE g.id = $1";
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(id));
    if (r.empty()) throw not_found(kGenreNotFound);
    return r.str(0, 0);
}

std::string GenreService::update(int64_t id, const Json& body) {
    static const std::string sql =
        "UPDATE genres g SET name = $2, date_modified = now() WHERE "
        "g.id = $1 RETURNING " +
        genre_json_sql();
    std::string name = read_name(body);
    std::string out = rethrow_as(kUpdateFailed, [&] {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(sql, db::Params(id, name));
        if (r.empty()) throw not_found(kGenreNotFound);
        return r.str(0, 0);
    });
    invalidate_catalog(ctx_.cache);
    return out;
}

void GenreService::remove(int64_t id) {
    auto conn = ctx_.pool.acquire();
    if (conn->exec("DELETE FROM genres WHERE id = $1", db::Params(id)).affected() == 0)
        throw not_found(kGenreNotFound);
    invalidate_catalog(ctx_.cache);
}

}  // namespace sonique::services
