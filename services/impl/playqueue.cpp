// PlayQueueService: every edit = lock the queue row, change, renumber, commit.
#include "services/playqueue.hpp"

#include <functional>

#include "core/error.hpp"
#include "cover_shape.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"

namespace sonique::services {
namespace {

// Creates the queue row if it was ever removed, and locks it in the same statement (an
// ON CONFLICT DO UPDATE locks the existing row), serialising every edit behind it.
const char* kLock =
    "INSERT INTO play_queue (id) VALUES (1) ON CONFLICT (id) DO UPDATE"
    " SET current_position = play_queue.current_position";

const char* kRenumber =
    "UPDATE play_queue_items p SET position = n.rn - 1 FROM"
    " (SELECT track_id, row_number() OVER (ORDER BY position, added_at, track_id) AS rn"
    "  FROM play_queue_items) n"
    " WHERE p.track_id = n.track_id AND p.position <> n.rn - 1";

const char* kTouch =
    "UPDATE play_queue SET last_updated = now(), current_position = CASE"
    " WHEN current_position IS NULL THEN NULL"
    " WHEN (SELECT count(*) FROM play_queue_items) = 0 THEN NULL"
    " ELSE LEAST(current_position, (SELECT count(*) FROM play_queue_items) - 1) END"
    " WHERE id = 1";

std::string queue_sql() {
    return "SELECT json_build_object('tracks', COALESCE((SELECT json_agg(json_build_object("
           "'id', t.id, 'title', t.title, 'artist', ar.name, 'album', al.title,"
           " 'duration', t.duration, 'path', t.path, 'position', q.rn - 1) ORDER BY q.rn)"
           " FROM (SELECT track_id, row_number() OVER (ORDER BY position, added_at, track_id)"
           " AS rn FROM play_queue_items) q JOIN tracks t ON t.id = q.track_id"
           " LEFT JOIN artists ar ON ar.id = t.track_artist_id"
           " LEFT JOIN albums al ON al.id = t.album_id), '[]'::json),"
           " 'current_position', (SELECT current_position FROM play_queue WHERE id = 1),"
           " 'last_updated', (SELECT " +
           iso_ts_sql("last_updated") + " FROM play_queue WHERE id = 1))";
}

JsonText read_queue(db::Connection& conn) {
    static const std::string sql = queue_sql();
    return JsonText(conn.exec(sql).str(0, 0));
}

// Runs change inside the locked transaction, renumbers, commits, returns the new queue.
JsonText edit(db::Pool& pool, const std::function<void(db::Connection&)>& change) {
    auto conn = pool.acquire();
    db::Transaction tx(*conn);
    conn->exec(kLock);
    change(*conn);
    conn->exec(kRenumber);
    conn->exec(kTouch);
    JsonText queue = read_queue(*conn);
    tx.commit();
    return queue;
}

}  // namespace

JsonText PlayQueueService::get() {
    auto conn = ctx_.pool.acquire();
    return read_queue(*conn);
}

JsonText PlayQueueService::add(int64_t track_id) {
    return edit(ctx_.pool, [track_id](db::Connection& conn) {
        // FOR KEY SHARE: the track cannot be deleted before the item lands.
        if (conn.exec("SELECT 1 FROM tracks WHERE id = $1 FOR KEY SHARE", db::Params(track_id))
                .empty())
            throw not_found("Piste non trouvée");
        conn.exec(
            "INSERT INTO play_queue_items (track_id, position)"
            " SELECT $1, COALESCE(max(position) + 1, 0) FROM play_queue_items"
            " ON CONFLICT (track_id) DO NOTHING",
            db::Params(track_id));
    });
}

JsonText PlayQueueService::remove(int64_t track_id) {
    return edit(ctx_.pool, [track_id](db::Connection& conn) {
        conn.exec("DELETE FROM play_queue_items WHERE track_id = $1", db::Params(track_id));
    });
}

JsonText PlayQueueService::move(int64_t track_id, std::optional<int64_t> new_position) {
    if (!new_position) throw bad_request("Nouvelle position requise");
    const int64_t wanted = *new_position;
    return edit(ctx_.pool, [track_id, wanted](db::Connection& conn) {
        conn.exec(kRenumber);  // positions contiguous, so the shift below is exact
        auto r = conn.exec(
            "SELECT position, (SELECT count(*) FROM play_queue_items) FROM play_queue_items"
            " WHERE track_id = $1",
            db::Params(track_id));
        if (r.empty()) throw bad_request("Piste non présente dans la file d'attente");
        const int64_t from = r.int64(0, 0);
        const int64_t to = std::min(wanted, r.int64(0, 1) - 1);
        conn.exec(
            "UPDATE play_queue_items SET position = CASE WHEN track_id = $1 THEN $3::integer"
            " WHEN $2::integer < $3::integer AND position > $2::integer"
            "  AND position <= $3::integer THEN position - 1"
            " WHEN $3::integer < $2::integer AND position >= $3::integer"
            "  AND position < $2::integer THEN position + 1"
            " ELSE position END",
            db::Params(track_id, from, to));
    });
}

JsonText PlayQueueService::clear() {
    return edit(ctx_.pool, [](db::Connection& conn) {
        conn.exec("DELETE FROM play_queue_items");
        conn.exec("UPDATE play_queue SET current_position = NULL WHERE id = 1");
    });
}

}  // namespace sonique::services
