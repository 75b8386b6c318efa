#pragma once
// What playlists, the play queue and bookmarks share: lists of tracks given as ids, and their
// songs built as Child with the catalog's fragment (subsonic_sql.hpp), so that a song has the
// same fields there as in getAlbum or search3.
#include <cstdint>
#include <string>
#include <vector>

#include "services/subsonic_scope.hpp"

namespace sonique::db {
class Connection;
}

namespace sonique::services {

// "{1,2,3}" for a $n::bigint[] parameter.
std::string bigint_array(const std::vector<int64_t>& ids);

// " JOIN tracks t ON t.id = <entry>.track_id JOIN artists ar ... LEFT JOIN albums al ... LEFT
// JOIN artists aa ...": the aliases kSubsonicSongJson reads.
std::string song_joins(const std::string& entry_alias);

// True when every id names a track inside `scope` (an empty list too): a song outside the
// user's folders is "not found" to a write as to a read. One statement. Throws DbError. The
// caller's thread.
bool tracks_exist(db::Connection& conn, const std::vector<int64_t>& ids, const FolderScope& scope);

}  // namespace sonique::services
