#include "user_directory.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/json.hpp"
#include "db/pool.hpp"
#include "users_sql.hpp"

namespace sonique::services::detail {
namespace {

// Columns 0-9 as kUserColumns, then the encrypted password, lower(name), the music folders and
// the API keys ([id, hash] pairs) as JSON arrays, NULL when there are none.
constexpr const char* kSnapshotSql =
    "SELECT u.id, u.name, u.email, u.admin_role, u.settings_role, u.stream_role, "
    "u.download_role, u.playlist_role, u.cover_art_role, u.scrobbling_enabled, u.password_enc, "
    "lower(u.name), (SELECT json_agg(f.root) FROM user_music_folders f WHERE f.user_id = u.id), "
    "(SELECT json_agg(json_build_array(k.id, k.secret_hash)) FROM user_api_keys k "
    "WHERE k.user_id = u.id) FROM users u";

std::atomic<uint64_t> next_instance{1};

}  // namespace

UserDirectory::UserDirectory(ServiceContext& ctx)
    : ctx_(ctx), key_("directory:" + std::to_string(next_instance++)) {}

std::shared_ptr<const UserSnapshot> UserDirectory::load() {
    auto res = ctx_.pool.acquire()->exec(kSnapshotSql);
    auto snap = std::make_shared<UserSnapshot>();
    for (int i = 0; i < res.rows(); ++i) {
        UserEntry e{user_from_row(res, i), res.str(i, 10), std::nullopt};
        std::string name = res.str(i, 11);
        if (auto roots = res.opt_str(i, 12)) {
            e.roots.emplace();
            for (const auto& r : Json::parse(*roots))
                e.roots->push_back(r.get<std::string>());
        }
        if (auto keys = res.opt_str(i, 13))
            for (const auto& k : Json::parse(*keys))
                snap->keys[k.at(0).get<std::string>()] = {k.at(1).get<std::string>(), name};
        snap->by_name.emplace(std::move(name), std::move(e));
    }
    return snap;
}

std::shared_ptr<const UserSnapshot> UserDirectory::get() {
    if (!ctx_.cache.keeps_local()) return nullptr;
    std::shared_ptr<const UserSnapshot> fresh;
    std::string token = ctx_.cache.get_or_load_local(cache::ns::kUsers, key_, [&] {
        fresh = load();
        std::lock_guard lock(mutex_);
        current_ = fresh;
        token_ = std::to_string(++serial_);
        return token_;
    });
    if (fresh) return fresh;
    std::lock_guard lock(mutex_);
    return token == token_ ? current_ : nullptr;
}

}  // namespace sonique::services::detail
