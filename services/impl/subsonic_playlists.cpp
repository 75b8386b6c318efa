// SubsonicPlaylists: reads in one statement each; every change in one transaction that first
// locks the playlist's row (FOR UPDATE), so that two clients changing one playlist at once
// apply one after the other and no entry is lost or duplicated.
#include "services/subsonic_playlists.hpp"

#include <utility>

#include "core/error.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "subsonic_entries.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// A playlist as Playlist plus `extra` pairs. Parameters: $1 the viewer's id, $2 whether the
// viewer is an administrator (readonly is told for the viewer). Aliases: p, u (its owner), s.
// coverArt: the cover of its first song the viewer sees (its album's, else its own), none when
// that song has none (as Navidrome and gonic show a playlist).
std::string playlist_json(const FolderScope& scope, const std::string& extra) {
    return "json_strip_nulls(json_build_object('id', 'pl-' || p.id, 'name', p.name, "
           "'coverArt', (SELECT COALESCE(" SONIQUE_COVER_ART_ID("album", "al-", "c.album_id") ", "
           SONIQUE_COVER_ART_ID("track", "tr-", "c.id") ") FROM playlist_entries ce JOIN tracks c "
           "ON c.id = ce.track_id WHERE ce.playlist_id = p.id AND " +
           scope_track_sql(scope, "c.path") +
           " ORDER BY ce.position LIMIT 1), "
           "'comment', NULLIF(p.comment, ''), 'owner', u.name, 'public', p.public, "
           "'songCount', s.n, 'duration', s.d, 'created', " SONIQUE_ISO("p.created_at") ", "
           "'changed', " SONIQUE_ISO("p.changed_at") ", 'readonly', p.source_path IS NOT NULL "
           "OR NOT (p.owner_id = $1 OR $2::boolean)" +
           extra + "))";
}

// songCount and duration count the entries the viewer sees: those inside its music folders.
std::string playlist_from(const FolderScope& scope) {
    return " FROM playlists p JOIN users u ON u.id = p.owner_id LEFT JOIN LATERAL (SELECT count(*) "
           "AS n, COALESCE(sum(t.duration), 0) AS d FROM playlist_entries e JOIN tracks t ON t.id "
           "= e.track_id WHERE e.playlist_id = p.id AND " +
           scope_track_sql(scope, "t.path") + ") s ON true ";
}

// Counts characters, not bytes (the input is valid UTF-8).
size_t characters(const std::string& text) {
    size_t n = 0;
    for (unsigned char c : text)
        n += (c & 0xC0) != 0x80;
    return n;
}

void check_texts(const std::optional<std::string>& name,
                 const std::optional<std::string>& comment) {
    if (name && name->find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_request("A playlist's name must not be empty");
    if (name && characters(*name) > 500)
        throw bad_request("A playlist's name has at most 500 characters");
    if (comment && characters(*comment) > 10000)
        throw bad_request("A playlist's comment has at most 10000 characters");
}

// Locks the playlist's row and says whether the viewer may change it.
PlaylistStatus lock_for_change(db::Connection& conn, const User& viewer, int64_t id) {
    auto r = conn.exec(
        "SELECT owner_id, source_path IS NOT NULL, public FROM playlists WHERE id = $1 FOR "
        "UPDATE",
        db::Params(id));
    if (r.empty()) return PlaylistStatus::kNotFound;
    if (r.boolean(0, 1)) return PlaylistStatus::kReadOnly;
    if (r.int64(0, 0) == viewer.id || viewer.roles.admin) return PlaylistStatus::kOk;
    return r.boolean(0, 2) ? PlaylistStatus::kForbidden : PlaylistStatus::kNotFound;
}

// The playlist's entries (all of them, and those inside the scope: the ones the viewer sees and
// whose indexes songIndexToRemove names), in one statement.
std::pair<int64_t, int64_t> entry_counts(db::Connection& conn, int64_t id,
                                         const FolderScope& scope) {
    auto r = conn.exec(
        "SELECT count(*), count(*) FILTER (WHERE " + scope_track_sql(scope, "t.path") +
            ") FROM playlist_entries e JOIN tracks t ON t.id = e.track_id WHERE e.playlist_id = $1",
        db::Params(id));
    return {r.int64(0, 0), r.int64(0, 1)};
}

// Appends songs after the last entry, in order.
void append(db::Connection& conn, int64_t id, const std::vector<int64_t>& songs) {
    if (songs.empty()) return;
    conn.exec(
        "INSERT INTO playlist_entries (playlist_id, position, track_id) SELECT $1, COALESCE("
        "(SELECT max(position) FROM playlist_entries WHERE playlist_id = $1), -1) + u.ord, u.id "
        "FROM unnest($2::bigint[]) WITH ORDINALITY u(id, ord)",
        db::Params(id, bigint_array(songs)));
}

}  // namespace

JsonText SubsonicPlaylists::list(const User& viewer, int64_t as_user) {
    const std::string sql = "SELECT json_build_object('playlist', COALESCE(json_agg(" +
                            playlist_json(scope_, "") +
                            " ORDER BY lower(p.name), p.id), '[]'::json))" + playlist_from(scope_) +
                            "WHERE p.owner_id = $3 OR p.public";
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(sql, db::Params(viewer.id, viewer.roles.admin, as_user)).str(0, 0));
}

std::optional<JsonText> SubsonicPlaylists::get(const User& viewer, int64_t id) {
    const std::string sql = with_user(
        "SELECT " +
            playlist_json(scope_, ", 'entry', COALESCE((SELECT json_agg(" + kSubsonicSongJson +
                                      " ORDER BY e.position) FROM playlist_entries e" +
                                      song_joins("e") + "WHERE e.playlist_id = p.id AND " +
                                      scope_track_sql(scope_, "t.path") + "), '[]'::json)") +
            playlist_from(scope_) +
            "WHERE p.id = $3 AND (p.owner_id = $1 OR p.public OR $2::boolean)",
        1);
    auto conn = ctx_.pool.acquire();
    auto r = conn->exec(sql, db::Params(viewer.id, viewer.roles.admin, id));
    if (r.empty()) return std::nullopt;
    return JsonText(r.str(0, 0));
}

PlaylistResult SubsonicPlaylists::create(const User& owner, const std::string& name,
                                         const std::vector<int64_t>& songs) {
    check_texts(name, std::nullopt);
    if (songs.size() > kMaxListEntries) return {PlaylistStatus::kTooLong};
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (!tracks_exist(*conn, songs, scope_)) return {PlaylistStatus::kUnknownSong};
    int64_t id = conn->exec("INSERT INTO playlists (owner_id, name) VALUES ($1, $2) RETURNING id",
                            db::Params(owner.id, name))
                     .int64(0, 0);
    append(*conn, id, songs);
    tx.commit();
    return {PlaylistStatus::kOk, id};
}

PlaylistResult SubsonicPlaylists::replace(const User& viewer, int64_t id,
                                          const std::optional<std::string>& name,
                                          const std::vector<int64_t>& songs) {
    check_texts(name, std::nullopt);
    if (songs.size() > kMaxListEntries) return {PlaylistStatus::kTooLong};
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (auto s = lock_for_change(*conn, viewer, id); s != PlaylistStatus::kOk) return {s};
    if (!tracks_exist(*conn, songs, scope_)) return {PlaylistStatus::kUnknownSong};
    conn->exec("DELETE FROM playlist_entries WHERE playlist_id = $1", db::Params(id));
    append(*conn, id, songs);
    conn->exec("UPDATE playlists SET name = COALESCE($2, name), changed_at = now() WHERE id = $1",
               db::Params(id, name));
    tx.commit();
    return {PlaylistStatus::kOk, id};
}

PlaylistResult SubsonicPlaylists::update(const User& viewer, int64_t id,
                                         const PlaylistUpdate& change) {
    check_texts(change.name, change.comment);
    if (change.add.size() > kMaxListEntries) return {PlaylistStatus::kTooLong};
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (auto s = lock_for_change(*conn, viewer, id); s != PlaylistStatus::kOk) return {s};
    if (!tracks_exist(*conn, change.add, scope_)) return {PlaylistStatus::kUnknownSong};
    auto [before, visible] = entry_counts(*conn, id, scope_);
    std::vector<int64_t> removals;
    for (int64_t i : change.remove_indexes) {
        if (i < 0 || i >= visible) return {PlaylistStatus::kBadIndex};
        removals.push_back(i);
    }
    int64_t removed = 0;
    if (!removals.empty())
        // The indexes of the list the viewer saw before the update (0-based, in position order,
        // entries outside its folders not counted).
        removed = conn->exec(
                          "DELETE FROM playlist_entries e USING (SELECT x.position, row_number() "
                          "OVER (ORDER BY x.position) - 1 AS i FROM playlist_entries x JOIN tracks "
                          "t ON t.id = x.track_id WHERE x.playlist_id = $1 AND " +
                              scope_track_sql(scope_, "t.path") +
                              ") r WHERE e.playlist_id = $1 AND e.position = r.position AND r.i = "
                              "ANY($2::bigint[])",
                          db::Params(id, bigint_array(removals)))
                      .affected();
    if (before - removed + static_cast<int64_t>(change.add.size()) >
        static_cast<int64_t>(kMaxListEntries))
        return {PlaylistStatus::kTooLong};
    append(*conn, id, change.add);
    conn->exec(
        "UPDATE playlists SET name = COALESCE($2, name), comment = COALESCE($3, comment), "
        "public = COALESCE($4::boolean, public), changed_at = now() WHERE id = $1",
        db::Params(id, change.name, change.comment, change.is_public));
    tx.commit();
    return {PlaylistStatus::kOk, id};
}

PlaylistResult SubsonicPlaylists::remove(const User& viewer, int64_t id) {
    auto conn = ctx_.pool.acquire();
    db::Transaction tx(*conn);
    if (auto s = lock_for_change(*conn, viewer, id); s != PlaylistStatus::kOk) return {s};
    conn->exec("DELETE FROM playlists WHERE id = $1", db::Params(id));
    tx.commit();
    return {PlaylistStatus::kOk, id};
}

}  // namespace sonique::services
