// Annotations: the user's stars, ratings, plays and now-playing reports, one statement each.
// Rows are written in id order so that concurrent writers lock them in one order (no deadlock
// between two scrobbles of the same songs listed differently).
#include "services/annotations.hpp"

#include <algorithm>

#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "core/error.hpp"
#include "db/pool.hpp"
#include "shapes.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// The ids once each, as a bigint[] literal.
std::string id_array(std::vector<int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return pg_int_array(ids);
}

// $2, $3, $4: track, album, artist ids (each once). `ok` is whether every one exists within the
// user's folders (an entity outside them is "not found", as reads answer).
std::string all_exist_sql(const FolderScope& scope) {
    return "WITH ok AS (SELECT (SELECT count(*) FROM tracks t WHERE t.id = ANY($2::bigint[]) AND " +
           scope_track_sql(scope, "t.path") +
           ") = cardinality($2::bigint[]) AND (SELECT count(*) FROM albums al WHERE al.id = "
           "ANY($3::bigint[]) AND " +
           scope_album_sql(scope, "al.id") +
           ") = cardinality($3::bigint[]) AND (SELECT count(*) FROM artists a WHERE a.id = "
           "ANY($4::bigint[]) AND " +
           scope_artist_sql(scope, "a.id") + ") = cardinality($4::bigint[]) AS ok)";
}

// Upserts of starred_at = now() for entity table `kind` ("track", "album", "artist"); a star
// already there keeps its time.
std::string star_upsert(const std::string& kind, const char* param) {
    std::string table = "user_" + kind + "_data";
    return ", s_" + kind + " AS (INSERT INTO " + table + " (user_id, " + kind +
           "_id, starred_at) SELECT $1, x, now() FROM unnest(" + param +
           "::bigint[]) x WHERE (SELECT ok FROM ok) ORDER BY x ON CONFLICT (user_id, " + kind +
           "_id) DO UPDATE SET starred_at = COALESCE(" + table +
           ".starred_at, EXCLUDED.starred_at) RETURNING 1)";
}

std::string unstar_update(const std::string& kind, const char* param) {
    return ", u_" + kind + " AS (UPDATE user_" + kind + "_data SET starred_at = NULL WHERE " +
           "user_id = $1 AND " + kind + "_id = ANY(" + param +
           "::bigint[]) AND starred_at IS NOT NULL AND (SELECT ok FROM ok) RETURNING 1)";
}

// $2: track ids, $3: their times in ms (NULL: now), one element per play.
std::string scrobble_sql(const FolderScope& scope) {
    return "WITH p AS (SELECT x.id, count(*) AS n, max(LEAST(COALESCE(to_timestamp(x.ms / 1000.0), "
           "now()), now())) AS at FROM unnest($2::bigint[], $3::bigint[]) AS x(id, ms) GROUP BY "
           "x.id), "
           "ok AS (SELECT (SELECT count(*) FROM tracks v WHERE v.id IN (SELECT id FROM p) AND " +
           scope_track_sql(scope, "v.path") +
           ") = (SELECT count(*) FROM p) AS ok), "
           "t AS (INSERT INTO user_track_data (user_id, track_id, play_count, played_at) SELECT "
           "$1, "
           "p.id, p.n, p.at FROM p WHERE (SELECT ok FROM ok) ORDER BY p.id ON CONFLICT (user_id, "
           "track_id) DO UPDATE SET play_count = user_track_data.play_count + EXCLUDED.play_count, "
           "played_at = GREATEST(user_track_data.played_at, EXCLUDED.played_at) RETURNING 1), "
           "a AS (INSERT INTO user_album_data (user_id, album_id, play_count, played_at) SELECT "
           "$1, "
           "x.album_id, sum(p.n), max(p.at) FROM p JOIN tracks x ON x.id = p.id WHERE x.album_id "
           "IS "
           "NOT NULL AND (SELECT ok FROM ok) GROUP BY x.album_id ORDER BY x.album_id ON CONFLICT "
           "(user_id, album_id) DO UPDATE SET play_count = user_album_data.play_count + "
           "EXCLUDED.play_count, played_at = GREATEST(user_album_data.played_at, "
           "EXCLUDED.played_at) RETURNING 1) SELECT ok FROM ok";
}

// $1 user, $2 client, $3 track. The user's reports past their song's end (as getNowPlaying
// reads them) and past the 16 most recent are dropped in the same statement.
std::string now_playing_sql(const FolderScope& scope) {
    return "WITH gone AS (DELETE FROM now_playing n WHERE n.user_id = $1 AND n.client <> $2 AND "
           "(n.id NOT IN (SELECT id FROM now_playing WHERE user_id = $1 AND client <> $2 ORDER BY "
           "updated_at DESC, id DESC LIMIT 15) OR NOT " +
           now_playing_shown_sql("n", "(SELECT duration FROM tracks WHERE id = n.track_id)") +
           ")) "
           "INSERT INTO now_playing (user_id, client, track_id) SELECT $1, $2, v.id FROM tracks v "
           "WHERE v.id = $3 AND " +
           scope_track_sql(scope, "v.path") +
           " ON CONFLICT (user_id, client) DO UPDATE SET track_id = EXCLUDED.track_id, "
           "updated_at = now(), state = NULL, position_ms = NULL, playback_rate = NULL, "
           "listened_ms = 0, session_closed = false, counted = false RETURNING id";
}

// The rating statements: $1 user, $2 entity, $3 rating (0: none). `visible` is the scope's
// condition on the entity (alias x).
std::string rate_sql(const std::string& kind, const char* table, const std::string& visible) {
    return "INSERT INTO user_" + kind + "_data (user_id, " + kind +
           "_id, rating) SELECT $1, x.id, NULLIF($3::int, 0) FROM " + table +
           " x WHERE x.id = $2 AND " + visible + " ON CONFLICT (user_id, " + kind +
           "_id) DO UPDATE SET rating = EXCLUDED.rating RETURNING 1";
}

}  // namespace

void Annotations::star(const AnnotatedIds& ids, bool starred) {
    std::string sql = all_exist_sql(scope_);
    if (starred)
        sql +=
            star_upsert("track", "$2") + star_upsert("album", "$3") + star_upsert("artist", "$4");
    else
        sql += unstar_update("track", "$2") + unstar_update("album", "$3") +
               unstar_update("artist", "$4");
    sql += " SELECT ok FROM ok";
    db::Params params(user_, id_array(ids.tracks), id_array(ids.albums), id_array(ids.artists));
    bool ok = ctx_.pool.acquire()->exec(sql, params).boolean(0, 0);
    if (!ok) throw not_found("The requested data was not found");
    bump();
}

void Annotations::rate(AnnotatedKind kind, int64_t id, int rating) {
    if (rating < 0 || rating > 5) throw bad_request("The rating must be from 0 to 5");
    const std::string sql = kind == AnnotatedKind::kTrack
                                ? rate_sql("track", "tracks", scope_track_sql(scope_, "x.path"))
                            : kind == AnnotatedKind::kAlbum
                                ? rate_sql("album", "albums", scope_album_sql(scope_, "x.id"))
                                : rate_sql("artist", "artists", scope_artist_sql(scope_, "x.id"));
    if (ctx_.pool.acquire()->exec(sql, db::Params(user_, id, rating)).empty())
        throw not_found("The requested data was not found");
    // A rating changes averageRating in every user's answers: the namespace of them all.
    ctx_.cache.invalidate({cache::ns::user_annotations(user_), cache::ns::kAnnotations});
}

void Annotations::scrobble(const std::vector<Play>& plays) {
    if (plays.empty()) return;
    std::vector<int64_t> ids;
    std::string times = "{";
    for (const auto& p : plays) {
        ids.push_back(p.track);
        if (times.size() > 1) times += ',';
        times += p.at_ms ? std::to_string(*p.at_ms) : "NULL";
    }
    times += '}';
    auto r = ctx_.pool.acquire()->exec(scrobble_sql(scope_),
                                       db::Params(user_, pg_int_array(ids), times));
    if (!r.boolean(0, 0)) throw not_found("Song not found");
    bump();
}

void Annotations::now_playing(int64_t track, const std::string& client) {
    if (ctx_.pool.acquire()
            ->exec(now_playing_sql(scope_), db::Params(user_, client, track))
            .empty())
        throw not_found("Song not found");
}

void Annotations::bump() {
    ctx_.cache.invalidate({cache::ns::user_annotations(user_)});
}

}  // namespace sonique::services
