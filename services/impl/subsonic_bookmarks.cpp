// Bookmarks of the OpenSubsonic API: one per user and track, one statement each.
#include "core/error.hpp"
#include "db/pool.hpp"
#include "services/subsonic_queue.hpp"
#include "subsonic_entries.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

JsonText SubsonicBookmarks::list(const User& user) {
    const std::string sql = with_user(
        "SELECT json_build_object('bookmark', COALESCE(json_agg(json_strip_nulls("
        "json_build_object('position', b.position_ms, 'username', u.name, 'comment', "
        "NULLIF(b.comment, ''), 'created', " SONIQUE_ISO(
            "b.created_at") ", 'changed', " SONIQUE_ISO("b.changed_at") ", 'entry', " +
            kSubsonicSongJson +
            ")) ORDER BY b.changed_at DESC, b.track_id), '[]'::json)) FROM bookmarks b JOIN users "
            "u "
            "ON u.id = b.user_id" +
            song_joins("b") + "WHERE b.user_id = $1 AND " + scope_track_sql(scope_, "t.path"),
        1);
    return JsonText(ctx_.pool.acquire()->exec(sql, db::Params(user.id)).str(0, 0));
}

bool SubsonicBookmarks::save(const User& user, int64_t track, int64_t position_ms,
                             const std::string& comment) {
    size_t chars = 0;
    for (unsigned char c : comment)
        chars += (c & 0xC0) != 0x80;
    if (chars > 10000) throw bad_request("A bookmark's comment has at most 10000 characters");
    return ctx_.pool.acquire()
               ->exec(
                   "INSERT INTO bookmarks (user_id, track_id, position_ms, comment) SELECT "
                   "$1, t.id, $3, $4 FROM tracks t WHERE t.id = $2 AND " +
                       scope_track_sql(scope_, "t.path") +
                       " ON CONFLICT (user_id, track_id) DO UPDATE SET position_ms = "
                       "EXCLUDED.position_ms, comment = EXCLUDED.comment, changed_at = now()",
                   db::Params(user.id, track, position_ms, comment))
               .affected() > 0;
}

bool SubsonicBookmarks::remove(const User& user, int64_t track) {
    return ctx_.pool.acquire()
               ->exec("DELETE FROM bookmarks WHERE user_id = $1 AND track_id = $2",
                      db::Params(user.id, track))
               .affected() > 0;
}

}  // namespace sonique::services
