// createTracks: the REST batch semantics of api.md §6 in one transaction. Upsert by
// musicbrainzId, else by path; a row whose file_mtime and file_size both equal the input's is
// left as it is; tag names create missing tags and replace the track's links.
#include <map>

#include "cache/namespaces.hpp"
#include "db/errors.hpp"
#include "db/transaction.hpp"
#include "graphql_internal.hpp"
#include "graphql_sql.hpp"

namespace sonique::services::gql {
namespace {

#define GQL_TRACK_SET                                                                            \
    "title = EXCLUDED.title, path = EXCLUDED.path, track_artist_id = EXCLUDED.track_artist_id, " \
    "album_id = COALESCE(EXCLUDED.album_id, t.album_id), "                                       \
    "duration = COALESCE(EXCLUDED.duration, t.duration), "                                       \
    "track_number = COALESCE(EXCLUDED.track_number, t.track_number), "                           \
    "disc_number = COALESCE(EXCLUDED.disc_number, t.disc_number), "                              \
    "year = COALESCE(EXCLUDED.year, t.year), genre = COALESCE(EXCLUDED.genre, t.genre), "        \
    "file_type = COALESCE(EXCLUDED.file_type, t.file_type), "                                    \
    "bitrate = COALESCE(EXCLUDED.bitrate, t.bitrate), "                                          \
    "featured_artists = COALESCE(EXCLUDED.featured_artists, t.featured_artists), "               \
    "musicbrainz_id = COALESCE(EXCLUDED.musicbrainz_id, t.musicbrainz_id), "                     \
    "musicbrainz_albumid = COALESCE(EXCLUDED.musicbrainz_albumid, t.musicbrainz_albumid), "      \
    "musicbrainz_artistid = COALESCE(EXCLUDED.musicbrainz_artistid, t.musicbrainz_artistid), "   \
    "musicbrainz_albumartistid = COALESCE(EXCLUDED.musicbrainz_albumartistid, "                  \
    "t.musicbrainz_albumartistid), "                                                             \
    "acoustid_fingerprint = COALESCE(EXCLUDED.acoustid_fingerprint, t.acoustid_fingerprint), "   \
    "file_mtime = EXCLUDED.file_mtime, file_size = EXCLUDED.file_size, date_modified = now() "

#define GQL_TRACK_UNCHANGED                                                         \
    "t.file_mtime IS NOT DISTINCT FROM EXCLUDED.file_mtime AND t.file_size IS "     \
    "NOT DISTINCT FROM EXCLUDED.file_size AND EXCLUDED.file_mtime IS NOT NULL AND " \
    "EXCLUDED.file_size IS NOT NULL"

#define GQL_TRACK_INSERT                                                                           \
    "INSERT INTO tracks AS t (title, path, track_artist_id, album_id, duration, track_number, "    \
    "disc_number, year, genre, file_type, bitrate, featured_artists, musicbrainz_id, "             \
    "musicbrainz_albumid, musicbrainz_artistid, musicbrainz_albumartistid, acoustid_fingerprint, " \
    "file_mtime, file_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, " \
    "$15, $16, $17, $18, $19) "

// Upsert by path.
const char* kUpsertByPath = GQL_TRACK_INSERT "ON CONFLICT (path) DO UPDATE SET " GQL_TRACK_SET
                                             "WHERE NOT (" GQL_TRACK_UNCHANGED ") RETURNING id";
// Update of the row found by MusicBrainz id ($20), through the same column list.
const char* kUpdateById =
    "WITH EXCLUDED AS (SELECT $1::text AS title, $2::text AS path, $3::bigint AS track_artist_id, "
    "$4::bigint AS album_id, $5::integer AS duration, $6::text AS track_number, "
    "$7::text AS disc_number, $8::text AS year, $9::text AS genre, $10::text AS file_type, "
    "$11::integer AS bitrate, $12::text AS featured_artists, $13::text AS musicbrainz_id, "
    "$14::text AS musicbrainz_albumid, $15::text AS musicbrainz_artistid, "
    "$16::text AS musicbrainz_albumartistid, $17::text AS acoustid_fingerprint, "
    "$18::double precision AS file_mtime, $19::bigint AS file_size) "
    "UPDATE tracks AS t SET " GQL_TRACK_SET
    "FROM EXCLUDED WHERE t.id = $20 AND NOT (" GQL_TRACK_UNCHANGED ") RETURNING t.id";

const char* kIntCols[] = {"trackArtistId", "albumId", "duration"};

std::optional<std::string> opt_text(const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? std::optional<std::string>(it->get<std::string>())
                                            : std::nullopt;
}
std::optional<double> opt_num(const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_number() ? std::optional<double>(it->get<double>())
                                            : std::nullopt;
}
std::optional<int64_t> opt_int(const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_number() ? std::optional<int64_t>(it->get<int64_t>())
                                            : std::nullopt;
}

db::Params track_params(const Json& t) {
    db::Params p;
    p.add(opt_text(t, "title")).add(opt_text(t, "path"));
    for (const char* k : kIntCols)
        p.add(opt_int(t, k));
    for (const char* k : {"trackNumber", "discNumber", "year", "genre", "fileType"})
        p.add(opt_text(t, k));
    p.add(opt_int(t, "bitrate"));
    for (const char* k : {"featuredArtists", "musicbrainzId", "musicbrainzAlbumid",
                          "musicbrainzArtistid", "musicbrainzAlbumartistid", "acoustidFingerprint"})
        p.add(opt_text(t, k));
    p.add(opt_num(t, "fileMtime"));
    auto size = opt_num(t, "fileSize");
    p.add(size ? std::optional<int64_t>(static_cast<int64_t>(*size)) : std::nullopt);
    return p;
}

// {"a","b"} text[] literal.
std::string text_array(const Json& list) {
    std::string out = "{";
    for (const auto& v : list) {
        if (!v.is_string() || v.get_ref<const std::string&>().empty()) continue;
        if (out.size() > 1) out += ',';
        out += '"';
        for (char c : v.get_ref<const std::string&>()) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

void replace_tags(RequestContext& rc, int64_t id, const Json& t) {
    if (t.contains("genreTags") && t["genreTags"].is_array()) {
        std::string names = text_array(t["genreTags"]);
        rc.exec(
            "INSERT INTO genre_tags (name) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (name) "
            "DO NOTHING",
            db::Params(names));
        rc.exec("DELETE FROM track_genre_tags WHERE track_id = $1", db::Params(id));
        rc.exec(
            "INSERT INTO track_genre_tags (track_id, tag_id) SELECT $1, id FROM genre_tags WHERE "
            "name = ANY($2::text[])",
            db::Params(id, names));
    }
    if (t.contains("moodTags") && t["moodTags"].is_array()) {
        std::string names = text_array(t["moodTags"]);
        rc.exec(
            "INSERT INTO mood_tags (name) SELECT DISTINCT unnest($1::text[]) ON CONFLICT (name) DO "
            "NOTHING",
            db::Params(names));
        rc.exec("DELETE FROM track_mood_tags WHERE track_id = $1", db::Params(id));
        rc.exec(
            "INSERT INTO track_mood_tags (track_id, tag_id) SELECT $1, id FROM mood_tags WHERE "
            "name = ANY($2::text[])",
            db::Params(id, names));
    }
}

void upsert_features(RequestContext& rc, int64_t id, const Json& t) {
    static const char* kNums[] = {"bpm",       "danceability", "moodHappy",    "moodAggressive",
                                  "moodParty", "moodRelaxed",  "instrumental", "acoustic",
                                  "tonal"};
    bool any = false;
    for (const char* k : kNums)
        any = any || opt_num(t, k);
    for (const char* k : {"key", "scale", "camelotKey", "genreMain"})
        any = any || opt_text(t, k);
    if (!any) return;
    db::Params p(id);
    for (const char* k : kNums)
        p.add(opt_num(t, k));
    for (const char* k : {"key", "scale", "camelotKey", "genreMain"})
        p.add(opt_text(t, k));
    rc.exec(
        "INSERT INTO audio_features AS f (track_id, bpm, danceability, mood_happy, "
        "mood_aggressive, "
        "mood_party, mood_relaxed, instrumental, acoustic, tonal, key, scale, camelot_key, "
        "genre_main) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT "
        "(track_id) DO UPDATE SET "
        "bpm = COALESCE(EXCLUDED.bpm, f.bpm), danceability = COALESCE(EXCLUDED.danceability, "
        "f.danceability), "
        "mood_happy = COALESCE(EXCLUDED.mood_happy, f.mood_happy), "
        "mood_aggressive = COALESCE(EXCLUDED.mood_aggressive, f.mood_aggressive), "
        "mood_party = COALESCE(EXCLUDED.mood_party, f.mood_party), "
        "mood_relaxed = COALESCE(EXCLUDED.mood_relaxed, f.mood_relaxed), "
        "instrumental = COALESCE(EXCLUDED.instrumental, f.instrumental), "
        "acoustic = COALESCE(EXCLUDED.acoustic, f.acoustic), tonal = COALESCE(EXCLUDED.tonal, "
        "f.tonal), "
        "key = COALESCE(EXCLUDED.key, f.key), scale = COALESCE(EXCLUDED.scale, f.scale), "
        "camelot_key = COALESCE(EXCLUDED.camelot_key, f.camelot_key), "
        "genre_main = COALESCE(EXCLUDED.genre_main, f.genre_main), date_modified = now()",
        p);
}

// Writes one track; returns its id.
int64_t write_track(RequestContext& rc, const Json& t) {
    db::Params p = track_params(t);
    db::Result r;
    std::optional<std::string> mbid = opt_text(t, "musicbrainzId");
    std::optional<int64_t> found;
    if (mbid) {
        auto f = rc.exec("SELECT id FROM tracks WHERE musicbrainz_id = $1 ORDER BY id LIMIT 1",
                         db::Params(*mbid));
        if (!f.empty()) found = f.int64(0, 0);
    }
    if (found) {
        p.add(*found);
        r = rc.exec(kUpdateById, p);
    } else {
        r = rc.exec(kUpsertByPath, p);
    }
    if (r.empty()) {  // unchanged file: left as it is
        if (found) return *found;
        return rc
            .exec("SELECT id FROM tracks WHERE path = $1", db::Params(t["path"].get<std::string>()))
            .int64(0, 0);
    }
    int64_t id = r.int64(0, 0);
    replace_tags(rc, id, t);
    upsert_features(rc, id, t);
    return id;
}

}  // namespace

Json create_tracks(RequestContext& rc, const Json& items) {
    if (items.size() > 1000) throw graphql::FieldError("At most 1000 tracks per call");
    std::vector<int64_t> ids;
    try {
        db::Transaction tx(rc.conn());
        for (const auto& t : items)
            ids.push_back(write_track(rc, t));
        tx.commit();
    } catch (const db::DbError& e) {
        if (e.sqlstate() == "23503") throw graphql::FieldError("Artiste ou album non trouvé");
        if (e.sqlstate() == "23505")
            throw graphql::FieldError("Piste déjà existante (path ou musicbrainzId)");
        throw;
    }
    rc.services.cache.invalidate({cache::ns::kTracks, cache::ns::kAlbums, cache::ns::kArtists,
                                  cache::ns::kGenres, cache::ns::kLibrary});
    std::string arr = "{";
    for (int64_t id : ids)
        arr += (arr.size() > 1 ? "," : "") + std::to_string(id);
    auto r = rc.exec(GQL_TRACK_FULL "WHERE t.id = ANY($1::bigint[])", db::Params(arr + "}"));
    std::map<int64_t, Json> by_id;
    for (int i = 0; i < r.rows(); ++i)
        by_id[r.int64(i, 0)] = track_row(r, i);
    Json out = Json::array();
    for (int64_t id : ids)
        out.push_back(by_id[id]);
    return out;
}

}  // namespace sonique::services::gql
