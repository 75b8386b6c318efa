// The OpenSubsonic play queue. A save locks the user's queue row first (the upsert), so two
// clients saving at once apply one after the other and the queue is always one of theirs, whole.
#include "services/subsonic_queue.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "services/subsonic_playlists.hpp"
#include "subsonic_entries.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

std::optional<JsonText> SubsonicPlayQueue::get(const User& user, bool by_index) {
    // $2: by index. The current entry is the one at current_position, if it is still there.
    static const std::string sql = with_user(
        "SELECT json_strip_nulls(json_build_object('current', CASE WHEN NOT $2::boolean THEN "
        "(SELECT 'tr-' || c.track_id FROM user_play_queue_entries c WHERE c.user_id = q.user_id "
        "AND c.position = q.current_position) END, 'currentIndex', CASE WHEN $2::boolean AND "
        "EXISTS (SELECT 1 FROM user_play_queue_entries c WHERE c.user_id = q.user_id AND "
        "c.position = q.current_position) THEN (SELECT count(*) FROM user_play_queue_entries c "
        "WHERE c.user_id = q.user_id AND c.position < q.current_position) END, 'position', "
        "q.position_ms, 'username', u.name, 'changed', " SONIQUE_ISO("q.changed_at") ", "
        "'changedBy', q.changed_by, 'entry', COALESCE((SELECT json_agg(" +
        kSubsonicSongJson + " ORDER BY e.position) FROM user_play_queue_entries e" +
        song_joins("e") +
        "WHERE e.user_id = q.user_id), '[]'::json))) FROM user_play_queues q JOIN users u ON "
        "u.id = q.user_id WHERE q.user_id = $1", 1);
    auto r = ctx_.pool.acquire()->exec(sql, db::Params(user.id, by_index));
    if (r.empty()) return std::nullopt;
    return JsonText(r.str(0, 0));
}

bool SubsonicPlayQueue::save(const User& user, const SavedQueue& queue) {
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (!tracks_exist(*conn, queue.songs, scope_)) return false;
    conn->exec(
        "INSERT INTO user_play_queues (user_id, current_position, position_ms, changed_at, "
        "changed_by) VALUES ($1, $2, $3, now(), left($4, 200)) ON CONFLICT (user_id) DO UPDATE "
        "SET current_position = EXCLUDED.current_position, position_ms = EXCLUDED.position_ms, "
        "changed_at = now(), changed_by = EXCLUDED.changed_by",
        db::Params(user.id, queue.songs.empty() ? std::nullopt : queue.current, queue.position_ms,
                   queue.client));
    conn->exec("DELETE FROM user_play_queue_entries WHERE user_id = $1", db::Params(user.id));
    if (!queue.songs.empty())
        conn->exec(
            "INSERT INTO user_play_queue_entries (user_id, position, track_id) SELECT $1, "
            "u.ord - 1, u.id FROM unnest($2::bigint[]) WITH ORDINALITY u(id, ord)",
            db::Params(user.id, bigint_array(queue.songs)));
    tx.commit();
    return true;
}

}  // namespace sonique::services
