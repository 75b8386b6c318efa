#include "tracks_write.hpp"

#include <set>

#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/track_fields.hpp"
#include "shapes.hpp"

namespace sonique::services::track_write {
namespace {

// Items of $1 (a jsonb array) with their position and their tracks record.
const std::string kInput =
    "WITH input AS (SELECT o.ord, o.e, jsonb_populate_record(NULL::tracks, o.e) AS r "
    "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord)) ";
// The existing track an item designates: by MusicBrainz id, else by path.
const std::string kResolve =
    "COALESCE((SELECT x.id FROM tracks x WHERE x.musicbrainz_id = (i.r).musicbrainz_id "
    "ORDER BY x.id LIMIT 1), (SELECT x.id FROM tracks x WHERE x.path = (i.r).path))";

std::string column_list(const std::string& prefix) {
    std::string s;
    for (const auto& f : track_fields())
        s += (s.empty() ? "" : ", ") + prefix + f.name;
    return s;
}

// "col = CASE WHEN i.e ? 'col' THEN (i.r).col ELSE t.col END, ..." for keys present.
std::string set_list() {
    std::string s;
    for (const auto& f : track_fields()) {
        std::string n = f.name;
        s += n + " = CASE WHEN i.e ? '" + n + "' THEN (i.r)." + n + " ELSE t." + n + " END, ";
    }
    return s + "date_modified = now()";
}

const std::string& insert_sql(bool upsert) {
    static const std::string plain = kInput + "INSERT INTO tracks (" + column_list("") +
                                     ") SELECT " + column_list("(i.r).") +
                                     " FROM input i ORDER BY i.ord RETURNING id";
    static const std::string missing =
        kInput + "INSERT INTO tracks (" + column_list("") + ") SELECT DISTINCT ON ((i.r).path) " +
        column_list("(i.r).") + " FROM input i WHERE " + kResolve +
        " IS NULL ORDER BY (i.r).path, i.ord DESC ON CONFLICT (path) DO NOTHING RETURNING id";
    return upsert ? missing : plain;
}

// "{1,NULL,3}" for $2::bigint[]: the track id of each item (by position) or NULL.
std::string id_array(const std::vector<std::optional<int64_t>>& ids) {
    std::string s = "{";
    for (size_t k = 0; k < ids.size(); ++k) {
        if (k) s += ',';
        s += ids[k] ? std::to_string(*ids[k]) : "NULL";
    }
    s += '}';
    return s;
}

// Replaces the links of kind ("genre"/"mood") of every item carrying <kind>_tags whose
// position has an id in ids. Three statements.
void replace_tags(db::Connection& conn, const std::string& kind, const std::string& input,
                  const std::string& ids) {
    const std::string items =
        " FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord), "
        "jsonb_array_elements_text(o.e->'" +
        kind +
        "_tags') AS n(name) "
        "WHERE ($2::bigint[])[o.ord] IS NOT NULL";
    const std::string create = "INSERT INTO " + kind + "_tags (name) SELECT DISTINCT n.name" +
                               items + " ON CONFLICT DO NOTHING";
    const std::string unlink = "DELETE FROM track_" + kind +
                               "_tags WHERE track_id IN (SELECT "
                               "($2::bigint[])[o.ord] FROM jsonb_array_elements($1::jsonb) WITH "
                               "ORDINALITY AS o(e, ord) WHERE o.e ? '" +
                               kind + "_tags')";
    const std::string link = "INSERT INTO track_" + kind +
                             "_tags (track_id, tag_id) SELECT "
                             "DISTINCT ($2::bigint[])[o.ord], g.id" +
                             items.substr(0, items.find(" WHERE")) + " JOIN " + kind +
                             "_tags g ON g.name = n.name WHERE "
                             "($2::bigint[])[o.ord] IS NOT NULL ON CONFLICT DO NOTHING";
    conn.exec(create, db::Params(input, ids));
    conn.exec(unlink, db::Params(input, ids));
    conn.exec(link, db::Params(input, ids));
}

bool any_has(const Json& items, const char* key) {
    for (const auto& it : items)
        if (it.contains(key)) return true;
    return false;
}

bool any_audio(const Json& items) {
    for (const auto& f : audio_fields())
        if (any_has(items, f.name)) return true;
    return false;
}

// The audio fields of every item carrying one whose position has an id in ids, in one
// statement: a track's audio_features row gets the keys present (the last item of a track
// wins), a track without one gets a new row. A row another transaction created meanwhile (its
// insert was not visible to the UPDATE) gets the keys present all the same, through the
// conflict (only rows in that race reach it).
void write_audio(db::Connection& conn, const std::string& input, const std::string& ids) {
    static const std::string sql = [] {
        std::string keys, cols, vals, sets, merge;
        for (const auto& f : audio_fields()) {
            const std::string n = f.name;
            keys += (keys.empty() ? "'" : ", '") + n + "'";
            cols += ", " + n;
            vals += ", (s.r)." + n;
            sets +=
                n + " = CASE WHEN s.e ? '" + n + "' THEN (s.r)." + n + " ELSE f." + n + " END, ";
            merge += n + " = CASE WHEN (SELECT s.e FROM s WHERE s.id = EXCLUDED.track_id) ? '" + n +
                     "' THEN EXCLUDED." + n + " ELSE f." + n + " END, ";
        }
        return "WITH s AS (SELECT DISTINCT ON (x.id) x.id, x.e, x.r FROM (SELECT "
               "($2::bigint[])[o.ord] AS id, o.ord, o.e, "
               "jsonb_populate_record(NULL::audio_features, o.e) AS r "
               "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS o(e, ord)) x "
               "WHERE x.id IS NOT NULL AND x.e ?| ARRAY[" +
               keys + "] ORDER BY x.id, x.ord DESC), u AS (UPDATE audio_features f SET " + sets +
               "from_tags = false, date_modified = now() FROM s WHERE f.track_id = s.id "
               "RETURNING f.track_id) "
               "INSERT INTO audio_features AS f (track_id" +
               cols + ") SELECT s.id" + vals +
               " FROM s WHERE s.id NOT IN (SELECT track_id FROM u) ON CONFLICT (track_id) DO "
               "UPDATE SET " +
               merge + "from_tags = false, date_modified = now()";
    }();
    conn.exec(sql, db::Params(input, ids));
}

void after_write(db::Connection& conn, const Json& items,
                 const std::vector<std::optional<int64_t>>& touched) {
    static const std::string artists =
        "INSERT INTO track_artists (track_id, artist_id, position) SELECT id, track_artist_id, 0 "
        "FROM tracks WHERE id = ANY($1::bigint[]) ON CONFLICT (track_id, position) DO UPDATE SET "
        "artist_id = EXCLUDED.artist_id WHERE track_artists.artist_id <> EXCLUDED.artist_id";
    std::string ids = id_array(touched);
    conn.exec(artists, db::Params(ids));
    std::string input = dump_json(items);
    if (any_has(items, "genre_tags")) replace_tags(conn, "genre", input, ids);
    if (any_has(items, "mood_tags")) replace_tags(conn, "mood", input, ids);
    if (any_audio(items)) write_audio(conn, input, ids);
}

std::vector<int64_t> column_ids(const db::Result& r) {
    std::vector<int64_t> out;
    for (int k = 0; k < r.rows(); ++k)
        out.push_back(r.int64(k, 0));
    return out;
}

}  // namespace

void require_refs(db::Connection& conn, const Json& items) {
    static const std::string sql =
        "SELECT (SELECT count(*) FROM artists WHERE id = ANY($1::bigint[])) = "
        "(SELECT count(DISTINCT x) FROM unnest($1::bigint[]) x), (SELECT count(*) FROM albums "
        "WHERE id = ANY($2::bigint[])) = (SELECT count(DISTINCT x) FROM unnest($2::bigint[]) x)";
    std::vector<int64_t> artists, albums;
    for (const auto& it : items) {
        if (it.contains("track_artist_id")) artists.push_back(it["track_artist_id"].get<int64_t>());
        if (it.contains("album_id") && !it["album_id"].is_null())
            albums.push_back(it["album_id"].get<int64_t>());
    }
    if (artists.empty() && albums.empty()) return;
    auto r = conn.exec(sql, db::Params(pg_int_array(artists), pg_int_array(albums)));
    if (!r.boolean(0, 0)) throw not_found(kArtistNotFound);
    if (!r.boolean(0, 1)) throw not_found(kAlbumNotFound);
}

std::vector<int64_t> upsert(db::Connection& conn, const Json& items) {
    static const std::string update =
        kInput + ", m AS (SELECT DISTINCT ON (s.tid) s.tid, s.e, s.r FROM (SELECT " + kResolve +
        " AS tid, i.ord, i.e, i.r FROM input i) s WHERE s.tid IS NOT NULL ORDER BY s.tid, s.ord "
        "DESC) UPDATE tracks t SET " +
        set_list() +
        " FROM m i WHERE t.id = i.tid AND NOT ((i.r).file_mtime IS NOT NULL AND (i.r).file_size "
        "IS NOT NULL AND t.file_mtime = (i.r).file_mtime AND t.file_size = (i.r).file_size) "
        "RETURNING t.id";
    static const std::string resolve =
        kInput + "SELECT " + kResolve + " FROM input i ORDER BY i.ord";
    std::string input = dump_json(items);
    std::set<int64_t> changed;
    for (int64_t id : column_ids(conn.exec(update, db::Params(input))))
        changed.insert(id);
    for (int64_t id : column_ids(conn.exec(insert_sql(true), db::Params(input))))
        changed.insert(id);
    std::vector<int64_t> ids = column_ids(conn.exec(resolve, db::Params(input)));
    std::vector<std::optional<int64_t>> touched;
    for (int64_t id : ids)
        touched.push_back(changed.count(id) ? std::optional(id) : std::nullopt);
    after_write(conn, items, touched);
    return ids;
}

int64_t insert_one(db::Connection& conn, const Json& item) {
    Json items = Json::array({item});
    int64_t id = conn.exec(insert_sql(false), db::Params(dump_json(items))).int64(0, 0);
    after_write(conn, items, {id});
    return id;
}

bool update_one(db::Connection& conn, int64_t id, const Json& item) {
    static const std::string sql =
        "WITH input AS (SELECT $1::jsonb AS e, jsonb_populate_record(NULL::tracks, $1::jsonb) AS "
        "r) UPDATE tracks t SET " +
        set_list() + " FROM input i WHERE t.id = $2 RETURNING t.id";
    if (conn.exec(sql, db::Params(dump_json(item), id)).empty()) return false;
    after_write(conn, Json::array({item}), {id});
    return true;
}

}  // namespace sonique::services::track_write
