#pragma once
// Every PostgreSQL advisory lock key Sonique takes, by name, so that two locks never share a key
// by accident and a key is never written twice. Advisory locks are global to the database, so a
// new key must differ from all of these (one-key locks are bigint; two-key locks, (int, int),
// live in a space of their own and never collide with one-key locks).
#include <cstdint>
#include <string>

namespace sonique::db::lock_keys {

// Migrations (db/impl/migrate.cpp): one process applies them at a time; session-level.
inline constexpr int64_t kMigrations = 7302914530119;

// Unused cover images (migration 0002): cover writers take it shared in their transaction
// (sonique_lock_cover_images()), the cleanup tries it exclusively
// (sonique_remove_unused_cover_images()). The key is written in that landed migration's SQL
// functions; tests/db/lock_keys_test.cpp checks that they agree.
inline constexpr int64_t kUnusedCoverImages = 7302914530120;

// POST /api/albums/batch: one get-or-create of albums at a time (services/impl/albums.cpp);
// transaction-level.
inline constexpr int64_t kAlbumBatch = 72010501;

// POST /api/tracks/batch: concurrent batches in turn (services/impl/tracks_mut.cpp);
// transaction-level.
inline constexpr int64_t kTrackBatch = 72010601;

// The import of the library's playlist files after a scan (services/impl/
// subsonic_playlist_files.cpp): one import at a time; transaction-level.
inline constexpr int64_t kPlaylistFiles = 72011201;

// Sonic analysis (analysis/impl/runner.cpp): one analysis at a time across server instances;
// session-level, held by the analysis's own connection for the whole run.
inline constexpr int64_t kAnalysis = 7302914530121;

// Scan root locks (scanner/impl/root_locks.cpp): the one-key lock hashtext(prefix + root), held
// by a scan's connection for as long as it scans that library root.
inline constexpr const char* kScanRootPrefix = "sonique-scan:";
inline std::string scan_root_key_text(const std::string& root) {
    return kScanRootPrefix + root;
}

// Scan session locks (scanner/impl/session_store.cpp): the two-key lock (space ^ high half of
// the session id, low half), held by the scan's connection while its session runs. "sonq".
inline constexpr int32_t kScanSessionSpace = 0x736f6e71;

}  // namespace sonique::db::lock_keys
