// SubsonicInfo: artist and album info, similar songs and lyrics, one statement each.
#include "services/subsonic_info.hpp"

#include "db/pool.hpp"
#include "services/similar_artists.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {
namespace {

// THE SEAM for similarity: the artists similar to the artist `seed` (an SQL expression), one row
// or more per artist as (id, weight in 0..1). The artist_similar table (Last.fm and manual
// relations written through POST /api/artists/{id}/similar) and, only for an artist with no
// stored row, the computed ones passed as $5 (ids) and $6 (weights): the artists that sound
// alike (docs/subsonic.md, "Similarity"). Every answer that uses it (artist info, similar songs)
// follows.
std::string similar_artists_sql(const std::string& seed) {
    return "SELECT r.similar_artist_id AS id, r.weight FROM artist_similar r WHERE r.artist_id = " +
           seed +
           " UNION ALL SELECT c.id, c.weight FROM unnest($5::bigint[], $6::float8[]) AS c(id, "
           "weight) WHERE NOT EXISTS (SELECT 1 FROM artist_similar r2 WHERE r2.artist_id = " +
           seed + ")";
}

// The artist an artist, album or song id ($1 kind 'ar', 'al' or 'tr'; $2 id) stands for.
const char* const kSeedSql =
    "seed AS (SELECT CASE $1::text WHEN 'ar' THEN (SELECT id FROM artists WHERE id = $2) "
    "WHEN 'al' THEN (SELECT album_artist_id FROM albums WHERE id = $2) "
    "WHEN 'tr' THEN (SELECT track_artist_id FROM tracks WHERE id = $2) END AS id)";

// An artist with something in the library (for includeNotPresent=false); `o` its alias.
std::string present_sql(const FolderScope& scope) {
    if (!scope.all()) return scope_artist_sql(scope, "o.id");
    return "(EXISTS (SELECT 1 FROM tracks st WHERE st.track_artist_id = o.id) OR EXISTS (SELECT 1 "
           "FROM albums sa WHERE sa.album_artist_id = o.id))";
}

// An image URL of the Last.fm information `i` (jsonb): Last.fm's own "image" array
// ([{"#text": url, "size": "small"}]) or an "image_<size>" field.
std::string image_sql(const char* size, const char* fallback_size) {
    return std::string(
               "COALESCE((SELECT e->>'#text' FROM jsonb_array_elements(CASE WHEN "
               "jsonb_typeof(i->'image') = 'array' THEN i->'image' ELSE '[]'::jsonb END) "
               "WITH ORDINALITY AS x(e, n) WHERE e->>'size' IN ('") +
           size + "', '" + fallback_size + "') AND e->>'#text' <> '' ORDER BY e->>'size' = '" +
           size + "' DESC, n LIMIT 1), i->>'image_" + size + "')";
}

std::string artist_info_sql(const FolderScope& scope, bool id3) {
    std::string artist =
        id3 ? "json_strip_nulls(json_build_object('id', 'ar-' || o.id, 'name', o.name, "
              "'albumCount', (SELECT count(*) FROM albums x WHERE x.album_artist_id = o.id AND " +
                  scope_album_sql(scope, "x.id") +
                  "), 'sortName', o.sort_name, 'musicBrainzId', o.musicbrainz_artistid))"
            : "json_build_object('id', 'ar-' || o.id, 'name', o.name)";
    return std::string("WITH ") + kSeedSql +
           ", a AS (SELECT a.*, a.lastfm_info AS i FROM artists a JOIN seed ON a.id = seed.id "
           "WHERE " +
           scope_artist_sql(scope, "a.id") +
           ") SELECT json_strip_nulls(json_build_object('biography', COALESCE(CASE WHEN "
           "jsonb_typeof(i->'bio') = 'string' THEN i->>'bio' END, i->'bio'->>'summary', "
           "i->'bio'->>'content', i->>'biography', i->>'summary'), 'musicBrainzId', "
           "a.musicbrainz_artistid, 'lastFmUrl', i->>'url', 'smallImageUrl', " +
           image_sql("small", "small") + ", 'mediumImageUrl', " + image_sql("medium", "medium") +
           ", 'largeImageUrl', " + image_sql("large", "extralarge") +
           ", 'similarArtist', COALESCE((SELECT json_agg(s.j ORDER BY s.w DESC, s.id) FROM "
           "(SELECT o.id, max(r.weight) AS w, " +
           artist + " AS j FROM (" + similar_artists_sql("a.id") +
           ") r JOIN artists o ON o.id = r.id WHERE o.id <> a.id AND ($4::bool OR " +
           present_sql(scope) +
           ") GROUP BY o.id ORDER BY w DESC, o.id LIMIT $3) s), '[]'::json))) FROM a";
}

// The seed artist's songs and its similar artists' (weighted by similarity, the seed's own at
// 1), sampled at random in proportion to their weight (the "exponential race": the smallest
// -ln(u)/w first). A song seed is left out of its own list.
std::string similar_songs_sql(const FolderScope& scope) {
    return std::string("WITH ") + kSeedSql +
           ", w AS (SELECT s.id, max(s.weight) AS weight FROM (SELECT seed.id, 1.0::float8 AS "
           "weight FROM seed UNION ALL " +
           similar_artists_sql("(SELECT id FROM seed)") +
           ") s WHERE s.id IS NOT NULL GROUP BY s.id), "
           "p AS (SELECT t.id, -ln(1.0 - random()) / greatest(w.weight, 0.001) AS k FROM w JOIN "
           "tracks t ON t.track_artist_id = w.id WHERE " +
           scope_track_sql(scope, "t.path") +
           " AND NOT ($1::text = 'tr' AND t.id = $2) ORDER BY k LIMIT $3) "
           "SELECT CASE WHEN EXISTS (SELECT 1 FROM seed JOIN artists o ON o.id = seed.id WHERE " +
           scope_artist_sql(scope, "o.id") +
           ") THEN json_build_object('song', COALESCE((SELECT json_agg(" + kSubsonicSongJson +
           " ORDER BY p.k) FROM p JOIN tracks t ON t.id = p.id JOIN artists ar ON ar.id = "
           "t.track_artist_id LEFT JOIN albums al ON al.id = t.album_id LEFT JOIN artists aa ON "
           "aa.id = al.album_artist_id), '[]'::json)) END";
}

std::optional<JsonText> first(const db::Result& r) {
    if (r.empty() || r.is_null(0, 0)) return std::nullopt;
    return JsonText(r.str(0, 0));
}

std::string kind_text(char kind) {
    return kind == 'r' ? "ar" : kind == 'l' ? "al" : "tr";
}

std::optional<StoredLyrics> lyrics_row(const db::Result& r) {
    if (r.empty()) return std::nullopt;
    StoredLyrics out{r.str(0, 0), r.str(0, 1), std::nullopt};
    if (!r.is_null(0, 2)) out.text = r.str(0, 2);
    return out;
}

}  // namespace

std::pair<std::string, std::string> SubsonicInfo::sonic_artists(char kind, int64_t id,
                                                                int64_t count) {
    std::string ids = "{", weights = "{";
    if (ctx_.sonic && count > 0) {
        std::optional<int64_t> artist;
        if (kind == 'r') {
            artist = id;
        } else {
            // The seed's artist, for albums and songs (one small statement more).
            auto conn = ctx_.pool.acquire();
            auto r = conn->exec(kind == 'l' ? "SELECT album_artist_id FROM albums WHERE id = $1"
                                            : "SELECT track_artist_id FROM tracks WHERE id = $1",
                                db::Params(id));
            if (!r.empty() && !r.is_null(0, 0)) artist = r.int64(0, 0);
        }
        if (artist)
            for (const auto& a : sonic_similar_artists(ctx_).similar(*artist, count)) {
                bool first_one = ids.size() == 1;
                ids += (first_one ? "" : ",") + std::to_string(a.id);
                weights += (first_one ? "" : ",") + std::to_string(a.weight);
            }
    }
    return {ids + "}", weights + "}"};
}

std::optional<JsonText> SubsonicInfo::artist_info(char kind, int64_t id, int64_t count,
                                                  bool include_absent, bool id3) {
    auto [ids, weights] = sonic_artists(kind, id, count);
    auto conn = ctx_.pool.acquire();
    return first(conn->exec(artist_info_sql(scope_, id3),
                            db::Params(kind_text(kind), id, count, include_absent, ids, weights)));
}

std::optional<JsonText> SubsonicInfo::album_info(int64_t album) {
    std::string sql =
        "SELECT json_strip_nulls(json_build_object('musicBrainzId', al.musicbrainz_albumid)) FROM "
        "albums al WHERE al.id = $1 AND " +
        scope_album_sql(scope_, "al.id");
    auto conn = ctx_.pool.acquire();
    return first(conn->exec(sql, db::Params(album)));
}

std::optional<JsonText> SubsonicInfo::similar_songs(char kind, int64_t id, int64_t count) {
    // A song that has a sonic vector: the songs that sound like it (an instant mix).
    if (kind == 't')
        if (auto sonic = sonic_songs(id, count, false)) return sonic;
    auto [ids, weights] = sonic_artists(kind, id, kSonicArtists);
    auto conn = ctx_.pool.acquire();
    return first(conn->exec(with_user(similar_songs_sql(scope_), 4),
                            db::Params(kind_text(kind), id, count, user_, ids, weights)));
}

std::optional<StoredLyrics> SubsonicInfo::lyrics_of(int64_t track) {
    std::string sql =
        "SELECT ar.name, t.title, NULLIF(t.lyrics, '') FROM tracks t JOIN artists ar ON ar.id = "
        "t.track_artist_id WHERE t.id = $1 AND " +
        scope_track_sql(scope_, "t.path");
    auto conn = ctx_.pool.acquire();
    return lyrics_row(conn->exec(sql, db::Params(track)));
}

std::optional<StoredLyrics> SubsonicInfo::find_lyrics(const std::string& artist,
                                                      const std::string& title) {
    std::string sql =
        "SELECT ar.name, t.title, t.lyrics FROM tracks t JOIN artists ar ON ar.id = "
        "t.track_artist_id WHERE lower(t.title) = lower($2) AND ($1 = '' OR lower(ar.name) = "
        "lower($1)) AND t.lyrics <> '' AND " +
        scope_track_sql(scope_, "t.path") + " ORDER BY t.id LIMIT 1";
    auto conn = ctx_.pool.acquire();
    return lyrics_row(conn->exec(sql, db::Params(artist, title)));
}

}  // namespace sonique::services
