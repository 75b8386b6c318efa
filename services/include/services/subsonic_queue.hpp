#pragma once
// A user's saved play queue (savePlayQueue, savePlayQueueByIndex: the same queue) and
// bookmarks, for the OpenSubsonic API (docs/subsonic.md). Answers are JSON in the spec's shapes
// (PlayQueue, PlayQueueByIndex, bookmarks) with songs as Child, one statement each. Not the REST
// API's play queue (contract §11, services/playqueue.hpp).
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

struct SavedQueue {
    std::vector<int64_t> songs;      // in order, repeats kept; empty clears the queue
    std::optional<int64_t> current;  // index in songs of the song being played
    int64_t position_ms = 0;         // >= 0
    std::string client;              // `c`: changedBy (cut to 200 characters)
};

// Every method may be called from any thread; each throws Error (kUnavailable) when the
// database is down. `scope`: the user's music folders; a song outside them is "no such track"
// to a save (as reads answer), whatever was saved before stays.
class SubsonicPlayQueue {
  public:
    explicit SubsonicPlayQueue(ServiceContext& ctx, FolderScope scope = {})
        : ctx_(ctx), scope_(std::move(scope)) {}

    // PlayQueue ("current": the song's id) or PlayQueueByIndex ("currentIndex"); nullopt when
    // the user never saved a queue. The current song is left out when its track was deleted.
    std::optional<JsonText> get(const User& user, bool by_index);
    // Replaces the queue in one transaction (concurrent saves apply one after the other: the
    // last one wins whole). False, and nothing changed, when an id names no track. The caller
    // checks current < songs.size() and the size (kMaxListEntries).
    bool save(const User& user, const SavedQueue& queue);

  private:
    ServiceContext& ctx_;
    FolderScope scope_;
};

// `scope`: the user's music folders. A bookmark of a song outside them is neither listed nor
// made.
class SubsonicBookmarks {
  public:
    explicit SubsonicBookmarks(ServiceContext& ctx, FolderScope scope = {})
        : ctx_(ctx), scope_(std::move(scope)) {}

    // {"bookmark": [...]}: the user's bookmarks of songs in the scope, the last changed first.
    JsonText list(const User& user);
    // Creates or overwrites the user's bookmark of the track; false when there is no such track
    // in the scope.
    // Throws bad_request for a comment past 10,000 characters.
    bool save(const User& user, int64_t track, int64_t position_ms, const std::string& comment);
    // False when the user has no bookmark of that track.
    bool remove(const User& user, int64_t track);

  private:
    ServiceContext& ctx_;
    FolderScope scope_;
};

}  // namespace sonique::services
