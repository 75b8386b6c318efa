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

}  // namespace sonique::services
