#include "users_sql.hpp"

namespace sonique::services::detail {

#define SONIQUE_USER_COLUMNS                                                                 \
    "u.id, u.name, u.email, u.admin_role, u.settings_role, u.stream_role, u.download_role, " \
    "u.playlist_role, u.cover_art_role, u.scrobbling_enabled"

const char* const kInsertUserSql =
    "INSERT INTO users AS u (name, password_enc, email, admin_role, settings_role, stream_role, "
    "download_role, playlist_role, cover_art_role, scrobbling_enabled) VALUES ($1, $2, $3, $4, "
    "$5, $6, $7, $8, $9, $10) RETURNING " SONIQUE_USER_COLUMNS;

const char* const kListUsersSql =
    "SELECT " SONIQUE_USER_COLUMNS " FROM users u ORDER BY lower(u.name), u.id";

const char* const kFindUserSql =
    "SELECT " SONIQUE_USER_COLUMNS ", u.password_enc FROM users u WHERE lower(u.name) = lower($1)";

// Demoting the last administrator is refused in the same statement that would do it.
const char* const kUpdateUserSql =
    "WITH t AS (SELECT id, admin_role FROM users WHERE lower(name) = lower($1)), "
    "guard AS (SELECT bool_or(t.admin_role AND $4::boolean IS FALSE AND "
    "(SELECT count(*) FROM users WHERE admin_role) = 1) AS last FROM t), "
    "upd AS (UPDATE users u SET password_enc = COALESCE($2, u.password_enc), "
    "email = COALESCE($3, u.email), admin_role = COALESCE($4::boolean, u.admin_role), "
    "settings_role = COALESCE($5::boolean, u.settings_role), "
    "stream_role = COALESCE($6::boolean, u.stream_role), "
    "download_role = COALESCE($7::boolean, u.download_role), "
    "playlist_role = COALESCE($8::boolean, u.playlist_role), "
    "cover_art_role = COALESCE($9::boolean, u.cover_art_role), "
    "scrobbling_enabled = COALESCE($10::boolean, u.scrobbling_enabled), updated_at = now() "
    "FROM t WHERE u.id = t.id AND NOT COALESCE((SELECT last FROM guard), false) RETURNING u.id) "
    "SELECT (SELECT count(*) FROM t), COALESCE((SELECT last FROM guard), false), "
    "(SELECT count(*) FROM upd)";

const char* const kDeleteUserSql =
    "WITH t AS (SELECT id, admin_role FROM users WHERE lower(name) = lower($1)), "
    "guard AS (SELECT bool_or(t.admin_role AND "
    "(SELECT count(*) FROM users WHERE admin_role) = 1) AS last FROM t), "
    "del AS (DELETE FROM users u USING t WHERE u.id = t.id AND "
    "NOT COALESCE((SELECT last FROM guard), false) RETURNING u.id) "
    "SELECT (SELECT count(*) FROM t), COALESCE((SELECT last FROM guard), false), "
    "(SELECT count(*) FROM del)";

const char* const kInsertApiKeySql =
    "INSERT INTO user_api_keys (id, user_id, secret_hash) SELECT $2, id, $3 FROM users "
    "WHERE lower(name) = lower($1) RETURNING id";

const char* const kListApiKeysSql =
    "SELECT k.id, to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(k.last_used_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "FROM user_api_keys k JOIN users u ON u.id = k.user_id WHERE lower(u.name) = lower($1) "
    "ORDER BY k.created_at, k.id";

const char* const kRevokeApiKeySql =
    "DELETE FROM user_api_keys k USING users u WHERE u.id = k.user_id AND "
    "lower(u.name) = lower($1) AND k.id = $2";

// last_used_at is written at most once a minute per key (column 11 says when it is due), and
// only once the secret matched.
const char* const kFindApiKeySql =
    "SELECT " SONIQUE_USER_COLUMNS
    ", k.secret_hash, (k.last_used_at IS NULL OR "
    "k.last_used_at < now() - interval '1 minute') FROM user_api_keys k "
    "JOIN users u ON u.id = k.user_id WHERE k.id = $1";

const char* const kTouchApiKeySql =
    "UPDATE user_api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR "
    "last_used_at < now() - interval '1 minute')";

#undef SONIQUE_USER_COLUMNS

User user_from_row(const db::Result& res, int row) {
    User u;
    u.id = res.int64(row, 0);
    u.name = res.str(row, 1);
    u.email = res.str(row, 2);
    u.roles = {res.boolean(row, 3), res.boolean(row, 4), res.boolean(row, 5), res.boolean(row, 6),
               res.boolean(row, 7), res.boolean(row, 8), res.boolean(row, 9)};
    return u;
}

}  // namespace sonique::services::detail
