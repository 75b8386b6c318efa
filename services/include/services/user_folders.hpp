#pragma once
// The library roots each OpenSubsonic user may see (table user_music_folders, migration 0014).
// A user without stored roots sees every root; roots are stored as paths, so that reordering
// MUSIC_PATH keeps each user's access.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/context.hpp"

namespace sonique::services {

class UserFolders {
  public:
    explicit UserFolders(ServiceContext& ctx) : ctx_(ctx) {}

    // The roots stored for the user, in no particular order; nullopt when none is (every root).
    // Throws Error (kUnavailable) when the database is down. Any thread.
    std::optional<std::vector<std::string>> roots(int64_t user_id);
    // Every user's stored roots (users without any are absent), for getUsers. Throws like roots().
    std::map<int64_t, std::vector<std::string>> all();
    // Replaces the user's roots (nullopt: every root) in one statement. False when there is no
    // such user (name whatever its case). Throws like roots(). Any thread.
    bool set(std::string_view user_name, const std::optional<std::vector<std::string>>& roots);

  private:
    ServiceContext& ctx_;
};

}  // namespace sonique::services
