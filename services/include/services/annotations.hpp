#pragma once
// A user's stars, ratings, plays and now-playing reports (the OpenSubsonic star, unstar,
// setRating and scrobble; docs/subsonic.md). Every write is one statement: upserts that add to
// the stored count (never read, changed and written back by the server), so concurrent
// scrobbles of one song are all counted. A write that names an unknown entity writes nothing.
// After each star, unstar, rating and play the user's cache namespace "annotations:<id>" is
// bumped (cache/namespaces.hpp), so that the user's cached answers showing per-user fields are
// dropped and every other user's stay.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "services/context.hpp"
#include "services/subsonic_scope.hpp"

namespace sonique::services {

// What a user can star or rate.
struct AnnotatedIds {
    std::vector<int64_t> tracks, albums, artists;
    bool empty() const { return tracks.empty() && albums.empty() && artists.empty(); }
};

enum class AnnotatedKind { kTrack, kAlbum, kArtist };

// One play: a track and when it was heard (milliseconds since 1970; nullopt: now).
struct Play {
    int64_t track = 0;
    std::optional<int64_t> at_ms;
};

// A player's state in a playbackReport (reportPlayback).
enum class PlaybackState { kStarting, kPlaying, kPaused, kStopped };

// The fastest playback rate accepted (players offer up to 4x; more is not listening).
inline constexpr double kMaxPlaybackRate = 16.0;

// One reportPlayback: the song, its state, the position in ms and the rate at this moment.
struct PlaybackReport {
    int64_t track = 0;
    PlaybackState state = PlaybackState::kPlaying;
    int64_t position_ms = 0;
    double rate = 1.0;
    bool ignore_scrobble = false;
};

// Every method may be called from any thread. Each throws Error (not_found) when an entity
// does not exist or lies outside `scope` (the user's music folders: a song outside them, an
// album or an artist without a song inside them), and Error (kUnavailable) when the database
// is down.
class Annotations {
  public:
    Annotations(ServiceContext& ctx, int64_t user, FolderScope scope = {})
        : ctx_(ctx), user_(user), scope_(std::move(scope)) {}

    // Stars every entity (a star already there keeps its time) or removes their stars; all or
    // none: nothing is written when one of them does not exist.
    void star(const AnnotatedIds& ids, bool starred);
    // A rating from 1 to 5, or 0 to remove it. Throws bad_request for another rating.
    void rate(AnnotatedKind kind, int64_t id, int rating);
    // Counts each play (the same track twice counts twice) for the track and its album; the
    // last play is the latest of the stored one and these (a play reported late does not move
    // it back). A time in the future is taken as now. All or none, as star().
    void scrobble(const std::vector<Play>& plays);
    // The user's player `client` now plays `track`: getNowPlaying shows it. A user keeps at
    // most 16 reports (the most recent); expired ones are dropped. Throws not_found.
    void now_playing(int64_t track, const std::string& client);
    // The player `client` reports its playback (the playbackReport extension): getNowPlaying
    // shows the state, the position moved on by the rate while playing, and the rate. The
    // player's row is its session: `starting` (or another song, or a report after `stopped`)
    // opens one; `stopped` closes it and counts one play, as scrobble does, when at least half
    // the song or four minutes of it were heard while playing (elapsed time x rate), unless a
    // report of the session asked for no scrobble or the session went 30 minutes past its
    // planned end without a report. Returns whether this report counted a play. Throws
    // not_found (the song), bad_request (a negative position, a rate not in (0, 16]).
    bool report_playback(const PlaybackReport& report, const std::string& client);

  private:
    void bump();

    ServiceContext& ctx_;
    int64_t user_;
    FolderScope scope_;
};

}  // namespace sonique::services
