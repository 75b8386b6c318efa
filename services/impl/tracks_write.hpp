#pragma once
// Set-based track writes shared by create, batch upsert and update: each runs a fixed number
// of statements whatever the number of tracks. Call inside a Transaction. Throw db::DbError.
#include <cstdint>
#include <optional>
#include <vector>

#include "core/json.hpp"
#include "db/connection.hpp"

namespace sonique::services::track_write {

// 404 "Artiste non trouvé" / "Album non trouvé" when an item names a missing artist or album.
void require_refs(db::Connection& conn, const Json& items);

// Batch upsert of normalised items: by musicbrainz_id, else by path; an existing row whose
// file_mtime and file_size both equal the item's is left as is (tags included). Returns each
// item's track id in input order.
std::vector<int64_t> upsert(db::Connection& conn, const Json& items);

// Inserts one normalised item; a taken path raises DbError(kConflict). Returns its id.
int64_t insert_one(db::Connection& conn, const Json& item);

// Updates the keys present in item (tags replace links, audio fields go to audio_features).
// False when the track is missing.
bool update_one(db::Connection& conn, int64_t id, const Json& item);

}  // namespace sonique::services::track_write
