// SubsonicCatalog: one statement per answer, the JSON built by PostgreSQL.
#include "services/subsonic_catalog.hpp"

#include "db/pool.hpp"
#include "subsonic_sql.hpp"

namespace sonique::services {

namespace {

// The song fields read from other tables than the song's own row and its album's and artists'
// (SQL expressions): per-row subqueries in kSubsonicSongJson, columns of
// subsonic_song_page_joins in kSubsonicSongPageJson.
struct SongLookups {
    std::string genres, artists, replay_gain, starred, user_rating, play_count, played,
        average_rating, bpm, moods;
};

// The fixed part: the track's row, its album and artists, its covers.
const std::string kSongOwnFields =
    "'id', 'tr-' || t.id, 'parent', 'al-' || t.album_id, 'isDir', false, 'title', t.title, "
    "'album', al.title, 'artist', ar.name, 'track', t.track_no, 'year', "
    "sonique_leading_int(t.year), 'genre', t.genre, 'size', t.file_size, "
    "'contentType', CASE WHEN t.file_type LIKE '%/%' THEN t.file_type END, "
    "'suffix', lower(substring(t.path from '\\.([^./]+)$')), 'duration', t.duration, "
    "'bitRate', t.bitrate, 'discNumber', t.disc_no, 'created', " SONIQUE_ISO("t.date_added") ", "
    "'albumId', 'al-' || t.album_id, 'artistId', 'ar-' || t.track_artist_id, 'type', 'music', "
    "'coverArt', COALESCE(" SONIQUE_COVER_ART_ID("album", "al-", "t.album_id") ", "
    SONIQUE_COVER_ART_ID("track", "tr-", "t.id") "), "
    "'mediaType', 'song', 'isVideo', false, 'bitDepth', t.bit_depth, 'samplingRate', "
    "t.sample_rate, 'channelCount', t.channels, 'sortName', t.title_sort, 'musicBrainzId', "
    "COALESCE(t.musicbrainz_recordingid, t.musicbrainz_id), 'comment', t.comment, "
    "'isrc', CASE WHEN t.isrc IS NOT NULL THEN json_build_array(t.isrc) END, "
    "'displayArtist', ar.name, 'displayAlbumArtist', aa.name";

// A track as a Child. Aliases: t (tracks), ar (its artist), al (its album, may be null), aa
// (the album's artist, may be null). contentType is only set when file_type holds a MIME type:
// the subsonic layer derives it from suffix otherwise, with the streaming route's table. Fields
// without a value are null, not stripped here: the subsonic layer leaves nulls out as it reads
// the answer, and stripping re-parsed every song's JSON in PostgreSQL (a full sync's pages
// spent a large part of their time there).
std::string song_json(const SongLookups& x) {
    return "(json_build_object(" + kSongOwnFields + ", 'genres', " + x.genres + ", 'artists', " +
           x.artists +
           ", 'albumArtists', CASE WHEN aa.id IS NOT NULL THEN "
           "json_build_array(json_build_object('id', 'ar-' || aa.id, 'name', aa.name)) END, "
           "'replayGain', " +
           x.replay_gain + ", 'starred', " + x.starred + ", 'userRating', " + x.user_rating +
           ", 'playCount', " + x.play_count + ", 'played', " + x.played + ", 'averageRating', " +
           x.average_rating + ", 'bpm', " + x.bpm + ", 'moods', " + x.moods +
           ", 'displayComposer', t.composer))";
}

// ReplayGain from the tags (or the API), each value the analysis's where they have none
// (docs/analysis.md, "Values the tags lacked"): v is the track's analysed_track_values row, l
// its album's analysed_album_values row (each may be null).
const char* const kReplayGain =
    "CASE WHEN COALESCE(t.replaygain_track_gain, v.replaygain_track_gain, "
    "t.replaygain_track_peak, v.replaygain_track_peak, t.replaygain_album_gain, "
    "l.replaygain_album_gain, t.replaygain_album_peak, l.replaygain_album_peak) IS NOT NULL THEN "
    "json_build_object('trackGain', COALESCE(t.replaygain_track_gain, v.replaygain_track_gain), "
    "'trackPeak', COALESCE(t.replaygain_track_peak, v.replaygain_track_peak), 'albumGain', "
    "COALESCE(t.replaygain_album_gain, l.replaygain_album_gain), 'albumPeak', "
    "COALESCE(t.replaygain_album_peak, l.replaygain_album_peak)) END";

}  // namespace

const std::string kSubsonicSongJson = song_json({
    "(SELECT json_agg(json_build_object('name', g.name) ORDER BY tg.position, g.id) FROM "
    "track_genres tg JOIN genres g ON g.id = tg.genre_id WHERE tg.track_id = t.id)",
    // Each credited artist's name: the track artist's from the row at hand (the usual case),
    // another's by its primary key. A join read a small artists table whole and hashed it for
    // every song of a page; a lone look-up still reads such a table sequentially.
    "(SELECT json_agg(json_build_object('id', 'ar-' || ta.artist_id, 'name', CASE WHEN "
    "ta.artist_id = ar.id THEN ar.name ELSE (SELECT a.name FROM artists a WHERE a.id = "
    "ta.artist_id) END) ORDER BY ta.position) FROM track_artists ta WHERE ta.track_id = t.id AND "
    "ta.role = 'artist')",
    // Two primary-key look-ups.
    std::string("(SELECT ") + kReplayGain +
        " FROM (SELECT) o LEFT JOIN analysed_track_values v ON v.track_id = t.id LEFT JOIN "
        "analysed_album_values l ON l.album_id = t.album_id)",
    // The user's data: primary-key look-ups of (user, track), none when the user has no row.
    "(SELECT " SONIQUE_ISO("d.starred_at") " FROM user_track_data d WHERE d.user_id = $U AND "
                                           "d.track_id = t.id)",
    "(SELECT d.rating FROM user_track_data d WHERE d.user_id = $U AND d.track_id = t.id)",
    "COALESCE((SELECT d.play_count FROM user_track_data d WHERE d.user_id = $U AND d.track_id = "
    "t.id), 0)",
    "(SELECT " SONIQUE_ISO("d.played_at") " FROM user_track_data d WHERE d.user_id = $U AND "
                                          "d.track_id = t.id)",
    // Every user's ratings (1 to 5), on the track's index of user_track_data; none unrated.
    SONIQUE_AVERAGE_RATING("user_track_data", "track_id", "t.id"),
    "round(COALESCE((SELECT f.bpm FROM audio_features f WHERE f.track_id = t.id), (SELECT v.bpm "
    "FROM analysed_track_values v WHERE v.track_id = t.id)))::int",
    "(SELECT json_agg(m.name ORDER BY m.name) FROM track_mood_tags tm JOIN mood_tags m ON m.id = "
    "tm.tag_id WHERE tm.track_id = t.id)",
});

// The same object from the page's joins: each list a column of one aggregate over the page
// (sp_genres, sp_artists, sp_moods, sp_rating), the rest single rows joined by primary key.
const std::string kSubsonicSongPageJson = song_json({
    "sp_genres.j",
    "sp_artists.j",
    kReplayGain,
    SONIQUE_ISO("d.starred_at"),
    "d.rating",
    "COALESCE(d.play_count, 0)",
    SONIQUE_ISO("d.played_at"),
    "sp_rating.a",
    "round(COALESCE(f.bpm, v.bpm))::int",
    "sp_moods.j",
});

std::string subsonic_song_page_joins(const std::string& ids) {
    const std::string in = " = ANY(" + ids + ")";
    return " LEFT JOIN (SELECT tg.track_id, json_agg(json_build_object('name', g.name) ORDER BY "
           "tg.position, g.id) AS j FROM track_genres tg JOIN genres g ON g.id = tg.genre_id "
           "WHERE tg.track_id" +
           in +
           " GROUP BY tg.track_id) sp_genres ON sp_genres.track_id = t.id "
           "LEFT JOIN (SELECT ta.track_id, json_agg(json_build_object('id', 'ar-' || "
           "ta.artist_id, 'name', a.name) ORDER BY ta.position) AS j FROM track_artists ta LEFT "
           "JOIN artists a ON a.id = ta.artist_id WHERE ta.role = 'artist' AND ta.track_id" +
           in +
           " GROUP BY ta.track_id) sp_artists ON sp_artists.track_id = t.id "
           "LEFT JOIN (SELECT tm.track_id, json_agg(m.name ORDER BY m.name) AS j FROM "
           "track_mood_tags tm JOIN mood_tags m ON m.id = tm.tag_id WHERE tm.track_id" +
           in +
           " GROUP BY tm.track_id) sp_moods ON sp_moods.track_id = t.id "
           "LEFT JOIN (SELECT r.track_id, round(avg(r.rating), 2)::float8 AS a FROM "
           "user_track_data r WHERE r.rating IS NOT NULL AND r.track_id" +
           in +
           " GROUP BY r.track_id) sp_rating ON sp_rating.track_id = t.id "
           "LEFT JOIN user_track_data d ON d.user_id = $U AND d.track_id = t.id "
           "LEFT JOIN audio_features f ON f.track_id = t.id "
           "LEFT JOIN analysed_track_values v ON v.track_id = t.id "
           "LEFT JOIN analysed_album_values l ON l.album_id = t.album_id";
}

// An album as AlbumID3, plus `extra` pairs. Aliases: al, aa, s (its songs' count, duration and
// first genre, from subsonic_album_stats).
std::string subsonic_album_json(const std::string& extra) {
    return "json_strip_nulls(json_build_object('id', 'al-' || al.id, 'name', al.title, "
           "'artist', aa.name, 'artistId', 'ar-' || aa.id, 'songCount', s.n, 'duration', s.d, "
           "'coverArt', " SONIQUE_COVER_ART_ID("album", "al-", "al.id") ", "
           "'created', " SONIQUE_ISO("al.date_added") ", 'year', al.release_year::int, "
           "'genre', s.genre, 'isCompilation', al.is_compilation, 'sortName', al.sort_title, "
           "'musicBrainzId', al.musicbrainz_albumid, 'displayArtist', aa.name, 'artists', "
           "json_build_array(json_build_object('id', 'ar-' || aa.id, 'name', aa.name)), "
           // The most precise date tag of its songs, the earliest among equals.
           "'releaseDate', (SELECT sonique_item_date(x.year) FROM tracks x WHERE x.album_id = "
           "al.id AND x.year IS NOT NULL ORDER BY length(x.year) DESC, x.year LIMIT 1), "
           "'originalReleaseDate', (SELECT sonique_item_date(x.original_date) FROM tracks x WHERE "
           "x.album_id = al.id AND x.original_date IS NOT NULL ORDER BY length(x.original_date) "
           "DESC, x.original_date LIMIT 1), 'moods', (SELECT json_agg(DISTINCT m.name) FROM "
           "tracks x JOIN track_mood_tags tm ON tm.track_id = x.id JOIN mood_tags m ON m.id = "
           "tm.tag_id WHERE x.album_id = al.id), "
           "'starred', " SONIQUE_ISO("ua.starred_at") ", 'userRating', ua.rating, "
           "'playCount', COALESCE(ua.play_count, 0), 'played', " SONIQUE_ISO("ua.played_at") +
           extra + "))";
}

std::string subsonic_album_stats(const FolderScope& scope) {
    std::string inside = scope.all() ? "" : " AND " + scope_track_sql(scope, "x.path");
    return " LEFT JOIN LATERAL (SELECT count(*) AS n, COALESCE(sum(x.duration), 0) AS d, "
           "min(x.genre) AS genre FROM tracks x WHERE x.album_id = al.id" +
           inside +
           ") s ON true LEFT JOIN user_album_data ua ON ua.user_id = $U AND ua.album_id = al.id ";
}

// An album as a Child with isDir (getAlbumList): the non-ID3 shape, its parent the artist.
const std::string kSubsonicAlbumChildJson =
    "json_strip_nulls(json_build_object('id', 'al-' || al.id, 'parent', 'ar-' || aa.id, "
    "'coverArt', " SONIQUE_COVER_ART_ID("album", "al-", "al.id") ", "
    "'isDir', true, 'title', al.title, 'album', al.title, 'artist', aa.name, "
    "'averageRating', " SONIQUE_AVERAGE_RATING("user_album_data", "album_id", "al.id") ", 'year', "
    "al.release_year::int, 'genre', s.genre, 'created', " SONIQUE_ISO("al.date_added") ", "
    "'duration', s.d, 'artistId', 'ar-' || aa.id, 'mediaType', 'album', 'isVideo', false, "
    "'starred', " SONIQUE_ISO("ua.starred_at") ", 'userRating', ua.rating, "
    "'playCount', COALESCE(ua.play_count, 0), 'played', " SONIQUE_ISO("ua.played_at") "))";

const std::string kSubsonicArtistJson =
    "json_strip_nulls(json_build_object('id', 'ar-' || a.id, 'name', a.name, "
    "'coverArt', " SONIQUE_COVER_ART_ID("artist", "ar-", "a.id") ", "
    "'albumCount', (SELECT count(*) FROM albums x WHERE x.album_artist_id = a.id), "
    "'sortName', a.sort_name, 'musicBrainzId', a.musicbrainz_artistid, "
    "'starred', (SELECT " SONIQUE_ISO("d.starred_at") " FROM user_artist_data d "
    "WHERE d.user_id = $U AND d.artist_id = a.id)))";

const std::string kSubsonicArtistChildJson =
    "json_strip_nulls(json_build_object('id', 'ar-' || a.id, 'name', a.name, "
    "'starred', (SELECT " SONIQUE_ISO("d.starred_at") " FROM user_artist_data d "
    "WHERE d.user_id = $U AND d.artist_id = a.id), "
    "'userRating', (SELECT d.rating FROM user_artist_data d WHERE d.user_id = $U AND "
    "d.artist_id = a.id)))";

std::string with_user(const std::string& sql, size_t n) {
    std::string out, param = "$" + std::to_string(n);
    size_t from = 0;
    for (size_t at; (at = sql.find("$U", from)) != std::string::npos; from = at + 2)
        out.append(sql, from, at - from).append(param);
    return out.append(sql, from);
}

namespace {

// The album artists whose albums lie in the scope, indexed (getArtists). The user is "$U".
std::string artists_sql(const FolderScope& scope) {
    return "WITH x AS (SELECT a.id, a.name, a.sort_name, a.musicbrainz_artistid, count(al.id) AS "
           "n, regexp_replace(COALESCE(a.sort_name, a.name), '^(The|El|La|Los|Las|Le|Les)\\s+', "
           "'', 'i') AS k FROM artists a JOIN albums al ON al.album_artist_id = a.id WHERE " +
           scope_album_sql(scope, "al.id") +
           " GROUP BY a.id), "
           "y AS (SELECT CASE WHEN upper(left(k, 1)) <> lower(left(k, 1)) THEN upper(left(k, 1)) "
           "ELSE '#' END AS letter, * FROM x), "
           "z AS (SELECT letter, json_agg(json_strip_nulls(json_build_object('id', 'ar-' || id, "
           "'coverArt', " SONIQUE_COVER_ART_ID("artist", "ar-", "y.id") ", "
           "'name', name, 'albumCount', n, 'sortName', sort_name, 'musicBrainzId', "
           "musicbrainz_artistid, "
           "'starred', (SELECT " SONIQUE_ISO("d.starred_at") " FROM user_artist_data d "
           "WHERE d.user_id = $U AND d.artist_id = y.id))) ORDER BY lower(k), id) AS artists "
           "FROM y GROUP BY letter) "
           "SELECT json_build_object('ignoredArticles', 'The El La Los Las Le Les', 'index', "
           "COALESCE((SELECT json_agg(json_build_object('name', letter, 'artist', artists) ORDER "
           "BY letter = '#', letter) FROM z), '[]'::json))";
}

// $1 = id, $2 = the user (sql made by with_user(..., 2)).
std::optional<JsonText> one(ServiceContext& ctx, const std::string& sql, int64_t id, int64_t user) {
    auto conn = ctx.pool.acquire();
    auto res = conn->exec(sql, db::Params(id, user));
    if (res.empty() || res.is_null(0, 0)) return std::nullopt;
    return JsonText(res.str(0, 0));
}

}  // namespace

JsonText SubsonicCatalog::artists() {
    auto conn = ctx_.pool.acquire();
    return JsonText(conn->exec(with_user(artists_sql(scope_), 1), db::Params(user_)).str(0, 0));
}

std::optional<JsonText> SubsonicCatalog::artist(int64_t id) {
    const std::string sql =
        "SELECT json_strip_nulls(json_build_object('id', 'ar-' || a.id, 'name', a.name, "
        "'coverArt', " SONIQUE_COVER_ART_ID("artist", "ar-", "a.id") ", "
        "'albumCount', (SELECT count(*) FROM albums al WHERE al.album_artist_id = a.id AND " +
        scope_album_sql(scope_, "al.id") +
        "), 'sortName', "
        "a.sort_name, 'musicBrainzId', a.musicbrainz_artistid, "
        "'starred', (SELECT " SONIQUE_ISO("d.starred_at") " FROM user_artist_data d "
        "WHERE d.user_id = $U AND d.artist_id = a.id), 'album', COALESCE((SELECT "
        "json_agg(" +
        subsonic_album_json("") +
        " ORDER BY al.release_year NULLS LAST, lower(al.title), al.id) FROM albums al JOIN "
        "artists aa ON aa.id = al.album_artist_id" +
        subsonic_album_stats(scope_) + "WHERE al.album_artist_id = a.id AND " +
        scope_album_sql(scope_, "al.id") + "), '[]'::json))) FROM artists a WHERE a.id = $1 AND " +
        scope_artist_sql(scope_, "a.id");
    return one(ctx_, with_user(sql, 2), id, user_);
}

std::optional<JsonText> SubsonicCatalog::album(int64_t id) {
    const std::string sql =
        "SELECT " +
        subsonic_album_json(
            ", 'song', COALESCE((SELECT json_agg(" + kSubsonicSongJson +
            " ORDER BY t.disc_no NULLS FIRST, t.track_no NULLS LAST, t.id) FROM tracks t "
            "JOIN artists ar ON ar.id = t.track_artist_id WHERE t.album_id = al.id AND " +
            scope_track_sql(scope_, "t.path") + "), '[]'::json)") +
        " FROM albums al JOIN artists aa ON aa.id = al.album_artist_id" +
        subsonic_album_stats(scope_) + "WHERE al.id = $1 AND " + scope_album_sql(scope_, "al.id");
    return one(ctx_, with_user(sql, 2), id, user_);
}

std::optional<JsonText> SubsonicCatalog::song(int64_t id) {
    const std::string sql = "SELECT " + kSubsonicSongJson +
                            " FROM tracks t JOIN artists ar ON ar.id = t.track_artist_id "
                            "LEFT JOIN albums al ON al.id = t.album_id LEFT JOIN artists "
                            "aa ON aa.id = al.album_artist_id WHERE t.id = $1 AND " +
                            scope_track_sql(scope_, "t.path");
    return one(ctx_, with_user(sql, 2), id, user_);
}

bool SubsonicCatalog::album_exists(int64_t id) {
    return ctx_.pool.acquire()
        ->exec("SELECT EXISTS (SELECT 1 FROM albums al WHERE al.id = $1 AND " +
                   scope_album_sql(scope_, "al.id") + ")",
               db::Params(id))
        .boolean(0, 0);
}

bool SubsonicCatalog::artist_exists(int64_t id) {
    return ctx_.pool.acquire()
        ->exec("SELECT EXISTS (SELECT 1 FROM artists a WHERE a.id = $1 AND " +
                   scope_artist_sql(scope_, "a.id") + ")",
               db::Params(id))
        .boolean(0, 0);
}

bool SubsonicCatalog::track_visible(int64_t id) {
    return ctx_.pool.acquire()
        ->exec("SELECT EXISTS (SELECT 1 FROM tracks t WHERE t.id = $1 AND " +
                   scope_track_sql(scope_, "t.path") + ")",
               db::Params(id))
        .boolean(0, 0);
}

std::optional<int64_t> SubsonicCatalog::album_of_track(int64_t track) {
    auto r = ctx_.pool.acquire()->exec(
        "SELECT COALESCE(t.album_id, 0) FROM tracks t WHERE t.id = $1 AND " +
            scope_track_sql(scope_, "t.path"),
        db::Params(track));
    if (r.empty()) return std::nullopt;
    return r.int64(0, 0);
}

}  // namespace sonique::services
