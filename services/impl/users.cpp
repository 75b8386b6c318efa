// UserService: accounts and API keys (the SQL of the users and user_api_keys tables).
// Authentication is in users_auth.cpp.
#include "services/users.hpp"

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/error.hpp"
#include "core/strings.hpp"
#include "db/errors.hpp"
#include "db/pool.hpp"
#include "login_throttle.hpp"
#include "settings_crypto.hpp"
#include "user_crypto.hpp"
#include "user_directory.hpp"
#include "users_sql.hpp"

namespace sonique::services {
namespace {

void check_name(const std::string& name) {
    if (name.empty() || name.size() > 64 || !is_valid_utf8(name))
        throw bad_request("A user name has 1 to 64 characters of valid UTF-8");
    for (unsigned char c : name)
        if (c < 0x20 || c == 0x7f) throw bad_request("A user name has no control characters");
}

void check_new_password(const std::string& password) {
    if (password.empty() || password.size() > 256 || !is_valid_utf8(password))
        throw bad_request("A password has 1 to 256 bytes of valid UTF-8");
}

}  // namespace

// Failures per user: 10 a minute, then a minute's wait. Per address, 50: a household behind one
// router shares an address, and an attacker trying many names is caught here.
UserService::UserService(ServiceContext& ctx)
    : ctx_(ctx),
      throttle_(std::make_unique<LoginThrottle>(10, std::chrono::seconds(60))),
      address_throttle_(std::make_unique<LoginThrottle>(50, std::chrono::seconds(60))),
      decoy_stored_(
          ctx.config.encryption_key.empty()
              ? std::string()
              : detail::encrypt_setting(generate_user_password(), ctx.config.encryption_key)),
      directory_(std::make_unique<detail::UserDirectory>(ctx)) {}

UserService::~UserService() = default;

void UserService::changed() {
    ctx_.cache.invalidate({cache::ns::kUsers});
}

std::string generate_user_password() {
    return detail::generate_password();
}

std::string UserService::encrypt(const std::string& password) const {
    check_new_password(password);
    if (ctx_.config.encryption_key.empty())
        throw bad_request(
            "Users need ENCRYPTION_KEY (passwords are stored encrypted): set it, e.g. to the "
            "output of `openssl rand -hex 32`, and keep it");
    return detail::encrypt_setting(password, ctx_.config.encryption_key);
}

User UserService::create(const std::string& name, const std::string& password,
                         const std::string& email, const UserRoles& r) {
    check_name(name);
    std::string enc = encrypt(password);
    auto conn = ctx_.pool.acquire();
    try {
        auto res = conn->exec(detail::kInsertUserSql,
                              db::Params(name, enc, email, r.admin, r.settings, r.stream,
                                         r.download, r.playlist, r.cover_art, r.scrobble));
        changed();
        return detail::user_from_row(res, 0);
    } catch (const db::DbError& e) {
        if (e.code() == ErrorCode::kConflict) throw conflict("A user with this name exists");
        throw;
    }
}

std::vector<User> UserService::list() {
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kListUsersSql);
    std::vector<User> out;
    for (int i = 0; i < res.rows(); ++i)
        out.push_back(detail::user_from_row(res, i));
    return out;
}

std::optional<User> UserService::find(std::string_view name) {
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kFindUserSql, db::Params(std::string(name)));
    if (res.empty()) return std::nullopt;
    return detail::user_from_row(res, 0);
}

bool UserService::update(std::string_view name, const UserUpdate& u) {
    std::optional<std::string> enc;
    if (u.password) enc = encrypt(*u.password);
    if (u.email && (u.email->size() > 256 || !is_valid_utf8(*u.email)))
        throw bad_request("An email address has at most 256 bytes of valid UTF-8");
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kUpdateUserSql,
                          db::Params(std::string(name), enc, u.email, u.admin, u.settings, u.stream,
                                     u.download, u.playlist, u.cover_art, u.scrobble));
    if (res.int64(0, 0) == 0) return false;
    if (res.boolean(0, 1)) throw bad_request("The last administrator must stay an administrator");
    changed();
    return true;
}

bool UserService::change_password(std::string_view name, const std::string& password) {
    UserUpdate u;
    u.password = password;
    return update(name, u);
}

bool UserService::remove(std::string_view name) {
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kDeleteUserSql, db::Params(std::string(name)));
    if (res.int64(0, 0) == 0) return false;
    if (res.boolean(0, 1)) throw bad_request("The last administrator cannot be deleted");
    changed();
    throttle_->forget("user:" + to_lower(name));
    return true;
}

std::optional<std::string> UserService::create_api_key(std::string_view name) {
    auto key = detail::new_api_key();
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kInsertApiKeySql,
                          db::Params(std::string(name), key.id, detail::api_key_hash(key.secret)));
    if (res.empty()) return std::nullopt;
    changed();
    return key.id + "." + key.secret;
}

std::vector<ApiKeyInfo> UserService::list_api_keys(std::string_view name) {
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kListApiKeysSql, db::Params(std::string(name)));
    std::vector<ApiKeyInfo> out;
    for (int i = 0; i < res.rows(); ++i)
        out.push_back({res.str(i, 0), res.str(i, 1), res.opt_str(i, 2)});
    return out;
}

bool UserService::revoke_api_key(std::string_view name, std::string_view key_id) {
    auto conn = ctx_.pool.acquire();
    auto res =
        conn->exec(detail::kRevokeApiKeySql, db::Params(std::string(name), std::string(key_id)));
    if (res.affected() == 0) return false;
    changed();
    return true;
}

std::optional<std::string> UserService::ensure_first_admin(const std::string& name,
                                                           const std::string& password) {
    {
        auto conn = ctx_.pool.acquire();
        if (conn->exec("SELECT EXISTS (SELECT 1 FROM users)").boolean(0, 0)) return std::nullopt;
    }
    std::string pw = password.empty() ? detail::generate_password() : password;
    UserRoles roles{true, true, true, true, true, true, true};
    try {
        create(name.empty() ? "admin" : name, pw, "", roles);
    } catch (const Error& e) {
        // Two processes starting at once: the other one created it.
        if (e.code() == ErrorCode::kConflict) return std::nullopt;
        throw;
    }
    if (password.empty()) return pw;
    return std::nullopt;
}

}  // namespace sonique::services
