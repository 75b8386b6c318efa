#pragma once
// Playlists of the OpenSubsonic API (docs/subsonic.md): a user's own, public ones visible to
// every user, and the library's playlist files (.m3u, .m3u8) imported after each scan,
// read-only. Answers are JSON in the spec's shapes (Playlist, PlaylistWithSongs with Child
// entries built as the catalog builds songs), one statement each. Ids: "pl-<id>".
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/json_text.hpp"
#include "services/context.hpp"
#include "services/subsonic_scope.hpp"
#include "services/users.hpp"

namespace sonique::services {

// The most entries a playlist or a saved play queue holds: past it a change is refused whole.
inline constexpr size_t kMaxListEntries = 10000;

// Why a change was refused. kNotFound also for a private playlist of another user (its
// existence is not told), kReadOnly for a playlist file, kForbidden for another user's public
// playlist, kUnknownSong when a song id names no track.
// kBadIndex: an index to remove past the end; kTooLong: the list would pass kMaxListEntries.
enum class PlaylistStatus {
    kOk,
    kNotFound,
    kForbidden,
    kReadOnly,
    kUnknownSong,
    kBadIndex,
    kTooLong
};

// updatePlaylist: a field left empty is kept. Indexes refer to the list before the update;
// the removals apply first, then the additions are appended in order.
struct PlaylistUpdate {
    std::optional<std::string> name, comment;
    std::optional<bool> is_public;
    std::vector<int64_t> add;
    std::vector<int64_t> remove_indexes;  // each >= 0; duplicates count once
};

struct PlaylistResult {
    PlaylistStatus status = PlaylistStatus::kOk;
    int64_t id = 0;  // the playlist created or replaced
};

// After each scan: what the import of playlist files did.
struct PlaylistImport {
    int files = 0;    // playlist files found and read
    int changed = 0;  // playlists created or whose entries changed
    int removed = 0;  // playlists whose file is gone
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down. `viewer` is the authenticated user: administrators see and change every
// user's playlists (never a playlist file's).
// `scope`: the viewer's music folders. Entries of songs outside them are not shown (nor counted
// in songCount and duration, nor indexed by songIndexToRemove), and such songs cannot be added
// (kUnknownSong, as reads answer "not found").
class SubsonicPlaylists {
  public:
    explicit SubsonicPlaylists(ServiceContext& ctx, FolderScope scope = {})
        : ctx_(ctx), scope_(std::move(scope)) {}

    // {"playlist": [Playlist...]}: the playlists `as_user` may play (its own and public ones),
    // by name whatever its case, then id. `readonly` is told for `viewer`.
    JsonText list(const User& viewer, int64_t as_user);
    // PlaylistWithSongs ("entry": its songs in order); nullopt when there is no such playlist
    // or the viewer may not see it.
    std::optional<JsonText> get(const User& viewer, int64_t id);

    // A new playlist of `owner` with these songs (in order, repeats kept). Throws bad_request
    // for an empty or too long name.
    PlaylistResult create(const User& owner, const std::string& name,
                          const std::vector<int64_t>& songs);
    // createPlaylist with playlistId: the songs replace the entries (and the name, if given).
    PlaylistResult replace(const User& viewer, int64_t id, const std::optional<std::string>& name,
                           const std::vector<int64_t>& songs);
    PlaylistResult update(const User& viewer, int64_t id, const PlaylistUpdate& change);
    PlaylistResult remove(const User& viewer, int64_t id);

    // Reads every .m3u/.m3u8 file under the library roots (config.music_roots) and makes each
    // a read-only public playlist of the first administrator keyed by the file's path; removes
    // the playlists whose file is gone from a root that could be read. Entries: paths relative
    // to the file or absolute inside the roots; `#` lines, URLs and paths outside the roots are
    // ignored; UTF-8 (a BOM is skipped), else Latin-1. Does nothing without an administrator.
    // Throws Error when the database is down (subsonic_playlist_files.cpp).
    PlaylistImport import_files();

  private:
    ServiceContext& ctx_;
    FolderScope scope_;
};

}  // namespace sonique::services
