#include "services/genres.hpp"

#include <functional>

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "shared_reads.hpp"

namespace sonique::services {
namespace {

constexpr const char* kCreateFailed =
    "Erreur lors de la création du genre : un genre avec ce nom existe déjà";
constexpr const char* kUpdateFailed =
    "Erreur lors de la mise à jour du genre : un genre avec ce nom existe déjà";

JsonText rethrow_as(const char* detail, const std::function<JsonText()>& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::kConflict) throw bad_request(detail);
        throw;
    }
}

}  // namespace

JsonText GenreService::list(int64_t skip, int64_t limit) {
    static const std::string sql =
        "SELECT COALESCE(json_agg(s.j ORDER BY s.k, s.id), "
        "'[]'::json) FROM (SELECT " +
        genre_json_sql() +
        " AS j, lower(g.name) AS k, g.id FROM genres g ORDER BY "
        "lower(g.name), g.id OFFSET $1 LIMIT $2) s";
    std::string key = "genres:" + std::to_string(skip) + ":" + std::to_string(limit);
    return JsonText(ctx_.cache.get_or_load(cache::ns::kGenres, key, [&] {
        auto conn = ctx_.pool.acquire();
        return first_json(conn->exec(sql, db::Params(skip, limit)));
    }));
}

JsonText GenreService::search(const std::optional<std::string>& name, bool exact, int64_t skip,
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
    return JsonText(first_json(conn->exec(sql, db::Params(name, exact, pattern, skip, limit))));
}

JsonText GenreService::create(const std::string& name) {
    static const std::string sql =
        "INSERT INTO genres AS g (name) VALUES ($1) RETURNING " + genre_json_sql();
    JsonText out = rethrow_as(kCreateFailed, [&] {
        auto conn = ctx_.pool.acquire();
        return JsonText(conn->exec(sql, db::Params(name)).str(0, 0));
    });
    invalidate_catalog(ctx_.cache);
    return out;
}

JsonText GenreService::get(int64_t id) {
    static const std::string sql = "SELECT " + genre_json_sql() + " FROM genres g WHERE g.id = $1";
    auto conn = ctx_.pool.acquire();
    return row_by_id(*conn, sql, id, kGenreNotFound);
}

JsonText GenreService::update(int64_t id, const std::string& name) {
    static const std::string sql =
        "UPDATE genres g SET name = $2, date_modified = now() WHERE "
        "g.id = $1 RETURNING " +
        genre_json_sql();
    JsonText out = rethrow_as(kUpdateFailed, [&] {
        auto conn = ctx_.pool.acquire();
        auto r = conn->exec(sql, db::Params(id, name));
        if (r.empty()) throw not_found(kGenreNotFound);
        return JsonText(r.str(0, 0));
    });
    invalidate_catalog(ctx_.cache);
    return out;
}

void GenreService::remove(int64_t id) {
    delete_or_404(ctx_, "DELETE FROM genres WHERE id = $1", id, kGenreNotFound);
}

}  // namespace sonique::services
