#pragma once
// What authentication reads, kept in process (docs/subsonic.md, "Users and authentication"):
// every user's row with its encrypted password and music folders, and every API key's hash, as
// one snapshot loaded in one statement. A Subsonic client authenticates on every request; with
// the snapshot a cached answer costs no database round trip.
//
// The snapshot is valid while a token for it is in the cache's in-process entries
// (Cache::get_or_load_local, namespace "users"): every write to users, their API keys or
// folders invalidates it after committing, in this process at once and in the others through
// the cache's pub/sub channel. Nothing of it is written to Redis. Any thread.
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "services/context.hpp"
#include "services/users.hpp"

namespace sonique::services::detail {

struct UserEntry {
    User user;
    std::string password_enc;                       // as stored: encrypted with ENCRYPTION_KEY
    std::optional<std::vector<std::string>> roots;  // user_music_folders (nullopt: every root)
};

struct UserSnapshot {
    // By PostgreSQL's lower(name), as the users_name_lower index compares names.
    std::unordered_map<std::string, UserEntry> by_name;
    // By API key id: the secret's hash (as stored) and the owner's key in by_name.
    struct Key {
        std::string hash;
        std::string owner;
    };
    std::unordered_map<std::string, Key> keys;
};

class UserDirectory {
  public:
    explicit UserDirectory(ServiceContext& ctx);

    // The current snapshot; nullptr when the process keeps no local entries (no near cache, or
    // Redis unreachable: invalidations from other processes could be missed), or in the rare
    // race where a newer load replaced the one this call was given: the caller then reads the
    // database itself. Throws db::DbError when the database is down.
    std::shared_ptr<const UserSnapshot> get();

  private:
    std::shared_ptr<const UserSnapshot> load();

    ServiceContext& ctx_;
    const std::string key_;  // this instance's entry in the cache (each instance loads its own)
    std::mutex mutex_;
    std::shared_ptr<const UserSnapshot> current_;
    std::string token_;  // the token of current_, as stored in the cache
    uint64_t serial_ = 0;
};

}  // namespace sonique::services::detail
