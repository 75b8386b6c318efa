#pragma once
// Users of the OpenSubsonic API (docs/subsonic.md): accounts, roles, passwords stored encrypted
// with ENCRYPTION_KEY (token authentication needs the password itself), API keys stored hashed,
// and the verification of credentials with throttling of failed attempts.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

class LoginThrottle;
namespace detail {
class UserDirectory;
}

// What a user may do. The defaults are the Subsonic createUser defaults.
struct UserRoles {
    bool admin = false;
    bool settings = true;
    bool stream = true;
    bool download = false;
    bool playlist = false;
    bool cover_art = false;
    bool scrobble = true;  // "scrobblingEnabled" in Subsonic terms
};

struct User {
    int64_t id = 0;
    std::string name;
    std::string email;
    UserRoles roles;
};

// Optional changes of updateUser: a field left empty is kept.
struct UserUpdate {
    std::optional<std::string> password;
    std::optional<std::string> email;
    std::optional<bool> admin, settings, stream, download, playlist, cover_art, scrobble;
};

struct ApiKeyInfo {
    std::string id;          // the public part, shown in lists and used to revoke
    std::string created_at;  // ISO 8601
    std::optional<std::string> last_used_at;
};

// What a client sent to authenticate (the Subsonic parameters u, p, t, s, apiKey).
struct Credentials {
    std::optional<std::string> user, password, token, salt, api_key;
};

enum class AuthStatus {
    kOk,
    kMissing,    // neither p, t+s nor apiKey (Subsonic 10)
    kWrong,      // unknown user, wrong password or token (40)
    kThrottled,  // too many failures for this user or address (40, another message)
    kConflict,   // apiKey with u, p, t or s, or p with t (43)
    kBadApiKey,  // unknown or revoked API key (44)
};

// A random password of 20 characters (about 110 bits). Any thread.
std::string generate_user_password();

// The password a Subsonic client sent: as is, or hex after "enc:"; nullopt for bad hex.
std::optional<std::string> decode_subsonic_password(std::string_view text);

struct AuthResult {
    AuthStatus status = AuthStatus::kWrong;
    std::optional<User> user;  // set when status is kOk
    int retry_after_s = 0;     // kThrottled: seconds until the next attempt is heard
    // Set with the user when authentication read the user's music folders too (the roots
    // stored for it, UserFolders::roots; nullopt: every root), so that the call need not.
    bool roots_known = false;
    std::optional<std::vector<std::string>> roots;
};

class UserService {
  public:
    explicit UserService(ServiceContext& ctx);
    ~UserService();

    // Every method may be called from any thread.

    // Creates a user. Throws bad_request when ENCRYPTION_KEY is not set, the name is empty,
    // longer than 64 characters or holds control characters, or the password is empty;
    // conflict when the name is taken (whatever its case).
    User create(const std::string& name, const std::string& password, const std::string& email,
                const UserRoles& roles);
    // Users ordered by name (case-insensitive).
    std::vector<User> list();
    std::optional<User> find(std::string_view name);
    // False when there is no such user. Throws bad_request for a bad password (as create) or
    // when it would leave no administrator.
    bool update(std::string_view name, const UserUpdate& update);
    bool change_password(std::string_view name, const std::string& password);
    // False when there is no such user. Throws bad_request for the last administrator.
    bool remove(std::string_view name);

    // A new API key for the user (shown once: only its hash is kept); nullopt for no such user.
    std::optional<std::string> create_api_key(std::string_view name);
    std::vector<ApiKeyInfo> list_api_keys(std::string_view name);
    // False when the user has no key with that id.
    bool revoke_api_key(std::string_view name, std::string_view key_id);

    // First start: when there is no user at all, creates an administrator named `name` (default
    // "admin") with `password`, or with a generated one. Returns the generated password (to be
    // printed once), or nullopt when nothing was generated. Throws bad_request without
    // ENCRYPTION_KEY.
    std::optional<std::string> ensure_first_admin(const std::string& name,
                                                  const std::string& password);

    // The user's default transcoding cap (Subsonic maxBitRate, kbit/s; 0: none), migration
    // 0013. set_max_bit_rate returns false when there is no such user and throws bad_request
    // for a value outside 0..320; max_bit_rates gives every user's that is not 0, by user id
    // (one statement). Any thread; throws db::DbError.
    bool set_max_bit_rate(std::string_view name, int kbps);
    int max_bit_rate(int64_t user_id);
    std::map<int64_t, int> max_bit_rates();

    // Verifies credentials (`address`: the client's, for throttling). Failures are logged
    // without the secret. Users and API keys are read from a snapshot kept in process and
    // invalidated by every write to them, in every process (user_directory.hpp), else from the
    // database. Throws Error (kUnavailable) when the database is down.
    AuthResult authenticate(const Credentials& credentials, const std::string& address);

  private:
    // Throws bad_request for a bad password or without ENCRYPTION_KEY.
    std::string encrypt(const std::string& password) const;
    AuthResult check_password(const Credentials& c);
    AuthResult check_api_key(const std::string& key);
    // Records an API key's use: at most once a minute per key and process.
    void touch_api_key(const std::string& id);
    // After a write to users, their keys or folders: every process drops its snapshot.
    void changed();

    ServiceContext& ctx_;
    std::unique_ptr<LoginThrottle> throttle_;          // per user name
    std::unique_ptr<LoginThrottle> address_throttle_;  // per client address
    // A password encrypted with ENCRYPTION_KEY at construction: an unknown user name is checked
    // against it, so that its answer costs what a known name's does (empty without a key).
    std::string decoy_stored_;
    std::unique_ptr<detail::UserDirectory> directory_;
    std::mutex touch_mutex_;
    std::map<std::string, std::chrono::steady_clock::time_point> touched_;  // API key id: when
};

}  // namespace sonique::services
