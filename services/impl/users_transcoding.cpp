// A user's default transcoding cap (UserService::set_max_bit_rate and friends, migration 0013):
// kept apart from the user's row reading so that authentication's statements stay as they are;
// stream reads it with one primary-key look-up.
#include "core/error.hpp"
#include "db/pool.hpp"
#include "services/users.hpp"

namespace sonique::services {

bool UserService::set_max_bit_rate(std::string_view name, int kbps) {
    if (kbps < 0 || kbps > 320) throw bad_request("maxBitRate must be from 0 to 320");
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(
        "UPDATE users SET max_bit_rate = $2, updated_at = now() WHERE lower(name) = lower($1) "
        "RETURNING id",
        db::Params(std::string(name), kbps));
    return !r.empty();
}

int UserService::max_bit_rate(int64_t user_id) {
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec("SELECT max_bit_rate FROM users WHERE id = $1", db::Params(user_id));
    return r.empty() ? 0 : static_cast<int>(r.int64(0, 0));
}

std::map<int64_t, int> UserService::max_bit_rates() {
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec("SELECT id, max_bit_rate FROM users WHERE max_bit_rate > 0");
    std::map<int64_t, int> out;
    for (int i = 0; i < r.rows(); ++i)
        out[r.int64(i, 0)] = static_cast<int>(r.int64(i, 1));
    return out;
}

}  // namespace sonique::services
