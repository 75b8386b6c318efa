#include "shared_reads.hpp"

#include "cache/cache.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"

namespace sonique::services {

JsonText cached_json(ServiceContext& ctx, std::string_view ns, std::string_view key,
                     const std::string& sql, std::string_view fallback) {
    return JsonText(ctx.cache.get_or_load(ns, key, [&] {
        auto conn = ctx.pool.acquire();
        return first_json(conn->exec(sql), fallback);
    }));
}

JsonText row_by_id(db::Connection& conn, const std::string& sql, int64_t id, const char* detail) {
    auto r = conn.exec(sql, db::Params(id));
    if (r.empty()) throw not_found(detail);
    return JsonText(r.str(0, 0));
}

JsonText cached_by_id(ServiceContext& ctx, std::string_view ns, const std::string& sql, int64_t id,
                      const char* detail) {
    return JsonText(ctx.cache.get_or_load(ns, "id:" + std::to_string(id), [&] {
        auto conn = ctx.pool.acquire();
        return row_by_id(*conn, sql, id, detail).text;
    }));
}

JsonText owned_list(const db::Result& result, const char* detail) {
    if (!result.boolean(0, 0)) throw not_found(detail);
    return JsonText(result.str(0, 1));
}

void delete_or_404(ServiceContext& ctx, const char* sql, int64_t id, const char* detail) {
    auto conn = ctx.pool.acquire();
    if (conn->exec(sql, db::Params(id)).affected() == 0) throw not_found(detail);
    invalidate_catalog(ctx.cache);
}

}  // namespace sonique::services
