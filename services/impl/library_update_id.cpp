#include "services/library_update_id.hpp"

#include "db/pool.hpp"

namespace sonique::services {

std::uint32_t library_update_id(ServiceContext& ctx) {
    auto conn = ctx.pool.acquire();
    auto r = conn->exec(
        "SELECT CASE WHEN is_called THEN last_value % 4294967296 ELSE 0 END "
        "FROM sonique_library_update_id");
    return static_cast<std::uint32_t>(r.int64(0, 0));
}

std::vector<std::pair<std::string, std::uint32_t>> container_update_ids_since(ServiceContext& ctx,
                                                                              std::uint32_t since,
                                                                              std::size_t limit) {
    auto conn = ctx.pool.acquire();
    db::Params params(static_cast<int64_t>(since), static_cast<int64_t>(limit));
    auto r = conn->exec(
        // update_id > $1 on the raw sequence value (indexed): after 2^32 changes `since` wraps
        // and every container is newer, which only names the limit's shallowest ones again.
        "SELECT container, max(update_id) % 4294967296 FROM dlna_container_updates "
        "WHERE update_id > $1 GROUP BY container "
        "ORDER BY length(container) - length(replace(container, '/', '')), max(update_id) DESC, "
        "container LIMIT $2",
        params);
    std::vector<std::pair<std::string, std::uint32_t>> out;
    for (int i = 0; i < r.rows(); ++i)
        out.emplace_back(r.str(i, 0), static_cast<std::uint32_t>(r.int64(i, 1)));
    return out;
}

}  // namespace sonique::services
