// UserService::authenticate: the Subsonic credentials (p, enc:, t+s, apiKey), throttling of
// failures per user and per address, and logs that never hold a secret.
#include <sodium.h>

#include "core/log.hpp"
#include "core/strings.hpp"
#include "db/pool.hpp"
#include "login_throttle.hpp"
#include "services/users.hpp"
#include "settings_crypto.hpp"
#include "user_crypto.hpp"
#include "user_directory.hpp"
#include "users_sql.hpp"

namespace sonique::services {
namespace {

AuthResult status(AuthStatus s) {
    AuthResult r;
    r.status = s;
    return r;
}

// Names are logged as data: control characters would forge log lines.
std::string printable(std::string_view text) {
    std::string out = sanitize_utf8(text.substr(0, 64));
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return out;
}

bool is_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80) return false;
    return true;
}

}  // namespace

std::optional<std::string> decode_subsonic_password(std::string_view text) {
    if (!starts_with(text, "enc:")) return std::string(text);
    std::string_view hex = text.substr(4);
    std::string out(hex.size() / 2, '\0');
    size_t length = 0;
    if (hex.size() % 2 != 0 ||
        sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                       hex.size(), nullptr, &length, nullptr) != 0 ||
        length != out.size())
        return std::nullopt;
    return out;
}

AuthResult UserService::authenticate(const Credentials& c, const std::string& address) {
    // apiKeyAuthentication: a key comes alone; p with t is two mechanisms at once.
    if (c.api_key && (c.user || c.password || c.token || c.salt))
        return status(AuthStatus::kConflict);
    if (c.password && (c.token || c.salt)) return status(AuthStatus::kConflict);
    if (!c.api_key && (!c.user || (!c.password && !(c.token && c.salt))))
        return status(AuthStatus::kMissing);

    const std::string addr_key = "addr:" + address;
    const std::string user_key = c.user ? "user:" + to_lower(*c.user) : std::string();
    int wait = address_throttle_->blocked_for(addr_key);
    if (!user_key.empty()) wait = std::max(wait, throttle_->blocked_for(user_key));
    if (wait > 0) {
        log::warn("subsonic: login refused (throttled) for user '", printable(c.user.value_or("")),
                  "' from ", address);
        AuthResult r = status(AuthStatus::kThrottled);
        r.retry_after_s = wait;
        return r;
    }

    AuthResult r = c.api_key ? check_api_key(*c.api_key) : check_password(c);
    if (r.status == AuthStatus::kOk) {
        if (!user_key.empty()) throttle_->forget(user_key);
        return r;
    }
    address_throttle_->record_failure(addr_key);
    if (!user_key.empty()) throttle_->record_failure(user_key);
    const char* how = c.api_key ? "API key" : c.password ? "password" : "token";
    log::warn("subsonic: failed login (", how, ") for user '", printable(c.user.value_or("")),
              "' from ", address);
    return r;
}

AuthResult UserService::check_password(const Credentials& c) {
    User user;
    std::string stored;
    bool known = false;
    AuthResult r = status(AuthStatus::kWrong);
    // The snapshot is keyed by PostgreSQL's lower(name): a name of ASCII letters is lowered the
    // same way here; any other name is looked up by the database, which lowers it itself.
    auto snap = is_ascii(*c.user) ? directory_->get() : nullptr;
    if (snap) {
        auto it = snap->by_name.find(to_lower(*c.user));
        if (it != snap->by_name.end()) {
            known = true;
            user = it->second.user;
            stored = it->second.password_enc;
            r.roots_known = true;
            r.roots = it->second.roots;
        }
    } else {
        auto conn = ctx_.pool.acquire();
        auto res = conn->exec(detail::kFindUserSql, db::Params(*c.user));
        if (!res.empty()) {
            known = true;
            user = detail::user_from_row(res, 0);
            stored = res.str(0, 10);
        }
    }
    // An unknown name goes through the same decryption and comparison with a decoy password,
    // so that how long the answer takes does not tell names apart.
    if (!known) stored = decoy_stored_;
    auto plain = ctx_.config.encryption_key.empty() || stored.empty()
                     ? std::nullopt
                     : detail::decrypt_setting(stored, ctx_.config.encryption_key);
    if (!plain && !known) return status(AuthStatus::kWrong);
    if (!plain) {
        log::warn("subsonic: the password of user '", printable(user.name),
                  "' cannot be decrypted (ENCRYPTION_KEY changed or missing?)");
        return status(AuthStatus::kWrong);
    }
    bool ok = false;
    if (c.password) {
        auto sent = decode_subsonic_password(*c.password);
        ok = sent && detail::secrets_equal(*sent, *plain);
    } else {
        ok = detail::secrets_equal(to_lower(*c.token), detail::md5_hex(*plain + *c.salt));
    }
    if (!ok || !known) return status(AuthStatus::kWrong);
    r.status = AuthStatus::kOk;
    r.user = std::move(user);
    return r;
}

AuthResult UserService::check_api_key(const std::string& key) {
    auto parts = detail::split_api_key(key);
    if (!parts) return status(AuthStatus::kBadApiKey);
    if (auto snap = directory_->get()) {
        auto it = snap->keys.find(parts->id);
        // An unknown id still costs a hash, so that timing does not tell ids apart.
        const std::string expected =
            it == snap->keys.end() ? std::string(64, '0') : it->second.hash;
        if (!detail::secrets_equal(detail::api_key_hash(parts->secret), expected) ||
            it == snap->keys.end())
            return status(AuthStatus::kBadApiKey);
        const detail::UserEntry& owner = snap->by_name.at(it->second.owner);
        touch_api_key(parts->id);
        AuthResult r = status(AuthStatus::kOk);
        r.user = owner.user;
        r.roots_known = true;
        r.roots = owner.roots;
        return r;
    }
    auto conn = ctx_.pool.acquire();
    auto res = conn->exec(detail::kFindApiKeySql, db::Params(parts->id));
    std::string expected = res.empty() ? std::string(64, '0') : res.str(0, 10);
    if (!detail::secrets_equal(detail::api_key_hash(parts->secret), expected) || res.empty())
        return status(AuthStatus::kBadApiKey);
    if (res.boolean(0, 11)) conn->exec(detail::kTouchApiKeySql, db::Params(parts->id));
    AuthResult r = status(AuthStatus::kOk);
    r.user = detail::user_from_row(res, 0);
    return r;
}

void UserService::touch_api_key(const std::string& id) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(touch_mutex_);
        auto [it, fresh] = touched_.try_emplace(id, now);
        if (!fresh && now - it->second < std::chrono::minutes(1)) return;
        it->second = now;
    }
    // The statement writes only when the stored time is a minute old: other processes too.
    ctx_.pool.acquire()->exec(detail::kTouchApiKeySql, db::Params(id));
}

}  // namespace sonique::services
