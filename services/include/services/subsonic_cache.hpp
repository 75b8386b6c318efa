#pragma once
// Hot Subsonic answers (getArtists, getIndexes, album lists, getGenres, getAlbum, getArtist,
// getMusicDirectory) through the cache, as the JSON that PostgreSQL built: the subsonic layer
// writes XML or JSON from the one cached text. An answer carries the user's own fields (stars,
// ratings, play counts), so it is kept per user and per folder scope, and under the "library"
// namespace (every catalog write and scan batch bumps it), the user's "annotations:<id>" (the
// user's stars, ratings and scrobbles bump it: another user's leave it) and "annotations"
// (what changes every user's answers, such as a rating's average): a write is seen by the next
// read, in every process.
// While Redis is down, answers are built every time.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/json_text.hpp"
#include "services/context.hpp"
#include "services/subsonic_scope.hpp"

namespace sonique::services {

struct SubsonicCacheKey {
    int64_t user_id = 0;
    const FolderScope& scope;
    std::string method;  // the method's name and what else selects the answer ("getAlbum:12")
};

// The cached answer of the key, or load()'s, which is then stored. Exceptions from load
// propagate and nothing is stored. Any thread.
JsonText subsonic_cached(ServiceContext& ctx, const SubsonicCacheKey& key,
                         const std::function<JsonText()>& load);
// As above for an answer that may not exist: nullopt (no such entity) is never stored.
std::optional<JsonText> subsonic_cached_entity(
    ServiceContext& ctx, const SubsonicCacheKey& key,
    const std::function<std::optional<JsonText>()>& load);

}  // namespace sonique::services
