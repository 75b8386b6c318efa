// SubsonicCatalog's per-user lists: getStarred(2), getTopSongs and getNowPlaying, one statement
// each, within the user's music folders. The user's id is $1 ("$U" of the shared fragments).
#include "core/error.hpp"
#include "db/pool.hpp"
#include "services/subsonic_catalog.hpp"
#include "services/subsonic_scope.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// A song's joins for kSubsonicSongJson, after "FROM ... JOIN tracks t ...".
const char* const kSongJoins =
    " JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums al ON al.id = t.album_id "
    "LEFT JOIN artists aa ON aa.id = al.album_artist_id";

std::string starred_sql(bool id3, const FolderScope& scope) {
    return "SELECT json_build_object('artist', (SELECT COALESCE(json_agg(" +
           (id3 ? kSubsonicArtistJson : kSubsonicArtistChildJson) +
           " ORDER BY st.starred_at DESC, a.id), '[]'::json) FROM user_artist_data st JOIN "
           "artists a ON a.id = st.artist_id WHERE st.user_id = $U AND st.starred_at IS NOT "
           "NULL AND " +
           scope_artist_sql(scope, "a.id") + "), 'album', (SELECT COALESCE(json_agg(" +
           (id3 ? subsonic_album_json("") : kSubsonicAlbumChildJson) +
           " ORDER BY st.starred_at DESC, al.id), '[]'::json) FROM user_album_data st JOIN "
           "albums al ON al.id = st.album_id JOIN artists aa ON aa.id = al.album_artist_id" +
           subsonic_album_stats(scope) +
           "WHERE st.user_id = $U AND st.starred_at IS NOT NULL AND " +
           scope_album_sql(scope, "al.id") +
           "), 'song', (SELECT "
           "COALESCE(json_agg(" +
           kSubsonicSongJson +
           " ORDER BY st.starred_at DESC, t.id), '[]'::json) FROM user_track_data st JOIN tracks "
           "t ON t.id = st.track_id" +
           kSongJoins + " WHERE st.user_id = $U AND st.starred_at IS NOT NULL AND " +
           scope_track_sql(scope, "t.path") + "))";
}

// $2 the artist's name, $3 the count. The artist's songs: those whose track artist it is and
// those that credit it (track_artists, role artist). The page is chosen before any JSON is
// built; a song's plays are summed over its rows (user_track_data_track).
// Built on first use: kSubsonicSongJson lives in another file, initialised in no set order.
// By id ($2 a bigint), the answer is NULL when the artist does not exist within the scope.
std::string top_songs_sql(const FolderScope& scope, bool by_id) {
    const std::string artist = by_id ? "a.id = $2::bigint" : "lower(a.name) = lower($2)";
    std::string sql =
        "WITH p AS (SELECT t.id, t.title, COALESCE((SELECT sum(d.play_count) "
        "FROM user_track_data d WHERE d.track_id = t.id), 0) AS plays FROM tracks t "
        "WHERE t.id IN (SELECT x.id FROM tracks x JOIN artists a ON a.id = x.track_artist_id "
        "WHERE " +
        artist +
        " UNION SELECT ta.track_id FROM track_artists ta "
        "JOIN artists a ON a.id = ta.artist_id WHERE ta.role = 'artist' AND " +
        artist + ") AND " + scope_track_sql(scope, "t.path") +
        " ORDER BY plays DESC, lower(t.title), t.id LIMIT $3) "
        "SELECT json_build_object('song', COALESCE(json_agg(" +
        kSubsonicSongJson +
        " ORDER BY p.plays DESC, lower(p.title), p.id), '[]'::json)) "
        "FROM p JOIN tracks t ON t.id = p.id" +
        kSongJoins;
    if (!by_id) return sql;
    return "SELECT CASE WHEN EXISTS (SELECT 1 FROM artists a WHERE a.id = $2::bigint AND " +
           scope_artist_sql(scope, "a.id") + ") THEN (" + sql + ") END";
}

// An entry is the song (Child, with the reading user's fields) and who plays it where, with a
// playback report's state, estimated position and rate. Which entries are shown:
// now_playing_shown_sql (a scrobble's until its song's duration has passed plus a minute).
std::string now_playing_sql(const FolderScope& scope) {
    return "SELECT json_build_object('entry', COALESCE(json_agg((" + kSubsonicSongJson +
           "::jsonb || jsonb_build_object('username', u.name, "
           "'minutesAgo', floor(extract(epoch FROM now() - np.updated_at) / 60)::int, "
           "'playerId', np.id, 'playerName', np.client, 'state', np.state, 'positionMs', " +
           now_playing_position_sql("np", "t.duration") +
           ", 'playbackRate', np.playback_rate))::json "
           "ORDER BY np.updated_at DESC, np.id), '[]'::json)) "
           "FROM now_playing np JOIN users u ON u.id = np.user_id "
           "JOIN tracks t ON t.id = np.track_id" +
           kSongJoins + " WHERE " + now_playing_shown_sql("np", "t.duration") + " AND " +
           scope_track_sql(scope, "t.path");
}

}  // namespace

JsonText SubsonicCatalog::starred(bool id3) {
    auto conn = ctx_.pool.acquire();
    return JsonText(
        conn->exec(with_user(starred_sql(id3, scope_), 1), db::Params(user_)).str(0, 0));
}

JsonText SubsonicCatalog::top_songs(const std::string& artist, int64_t count) {
    auto conn = ctx_.pool.acquire();
    return JsonText(
        conn->exec(with_user(top_songs_sql(scope_, false), 1), db::Params(user_, artist, count))
            .str(0, 0));
}

JsonText SubsonicCatalog::top_songs_by_id(int64_t artist_id, int64_t count) {
    auto conn = ctx_.pool.acquire();
    auto r =
        conn->exec(with_user(top_songs_sql(scope_, true), 1), db::Params(user_, artist_id, count));
    if (r.is_null(0, 0)) throw not_found("Artist not found");
    return JsonText(r.str(0, 0));
}

JsonText SubsonicCatalog::now_playing() {
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(with_user(now_playing_sql(scope_), 1), db::Params(user_)).str(0, 0));
}

}  // namespace sonique::services
