#include "shapes.hpp"

#include "analysed_values_sql.hpp"
#include "cache/cache.hpp"
#include "cache/namespaces.hpp"
#include "cover_shape.hpp"

namespace sonique::services {
namespace {

// Columns of tracks / audio_features copied as is into the Track shape, in contract order.
constexpr const char* kTrackHead[] = {"id",
                                      "title",
                                      "path",
                                      "track_artist_id",
                                      "album_id",
                                      "duration",
                                      "track_number",
                                      "disc_number",
                                      "year",
                                      "genre",
                                      "file_type",
                                      "bitrate",
                                      "featured_artists"};
constexpr const char* kAudioFields[] = {
    "bpm",        "key",          "scale",        "danceability", "mood_happy", "mood_aggressive",
    "mood_party", "mood_relaxed", "instrumental", "acoustic",     "tonal",      "camelot_key",
    "genre_main"};
constexpr const char* kTrackTail[] = {"musicbrainz_id",
                                      "musicbrainz_albumid",
                                      "musicbrainz_artistid",
                                      "musicbrainz_albumartistid",
                                      "acoustid_fingerprint",
                                      "file_mtime",
                                      "file_size"};

std::string tag_list_sql(const std::string& kind) {
    return "COALESCE((SELECT json_agg(x.name ORDER BY x.name) FROM track_" + kind +
           "_tags l JOIN " + kind +
           "_tags x ON x.id = l.tag_id WHERE l.track_id = t.id), "
           "'[]'::json)";
}

// A Track audio field: the written value, or the analysed one where the analysis offers it.
std::string audio_field_sql(std::string_view field) {
    if (field == "bpm") return SONIQUE_SHOWN_BPM;
    if (field == "key") return SONIQUE_SHOWN_KEY;
    if (field == "scale") return SONIQUE_SHOWN_SCALE;
    if (field == "camelot_key") return SONIQUE_SHOWN_CAMELOT;
    return "af." + std::string(field);
}

std::string build_track_json() {
    std::string s = "json_build_object(";
    for (const char* f : kTrackHead)
        s += std::string("'") + f + "', t." + f + ", ";
    for (const char* f : kAudioFields)
        s += std::string("'") + f + "', " + audio_field_sql(f) + ", ";
    s += "'genre_tags', " + tag_list_sql("genre") + ", 'mood_tags', " + tag_list_sql("mood") + ", ";
    for (const char* f : kTrackTail)
        s += std::string("'") + f + "', t." + f + ", ";
    // Loudness and ReplayGain (allowed by the contract: "collections may add fields"): the
    // written value (tags, API) else the analysed one; loudness only the analysis measures.
    s += "'loudness', atv.loudness, 'replaygain_track_gain', " SONIQUE_SHOWN_TRACK_GAIN
         ", 'replaygain_track_peak', " SONIQUE_SHOWN_TRACK_PEAK
         ", 'replaygain_album_gain', " SONIQUE_SHOWN_ALBUM_GAIN
         ", 'replaygain_album_peak', " SONIQUE_SHOWN_ALBUM_PEAK ", ";
    s += "'date_added', " + iso_ts_sql("t.date_added") + ", 'date_modified', " +
         iso_ts_sql("t.date_modified") + ", 'covers', " + covers_json_sql("track", "t.id") +
         // Tracks written without track_artists rows fall back to their main artist.
         ", 'artists', COALESCE((SELECT json_agg(json_build_object('id', ar.id, 'name', ar.name) "
         "ORDER BY ta.position) FROM track_artists ta JOIN artists ar ON ar.id = ta.artist_id "
         "WHERE ta.track_id = t.id), (SELECT json_build_array(json_build_object('id', ar.id, "
         "'name', ar.name)) FROM artists ar WHERE ar.id = t.track_artist_id), '[]'::json))";
    return s;
}

}  // namespace

const std::string& artist_json_sql() {
    static const std::string s =
        "json_build_object('id', a.id, 'name', a.name, 'musicbrainz_artistid', "
        "a.musicbrainz_artistid, 'date_added', " +
        iso_ts_sql("a.date_added") + ", 'date_modified', " + iso_ts_sql("a.date_modified") +
        ", 'covers', " + covers_json_sql("artist", "a.id") + ")";
    return s;
}

const std::string& album_json_sql() {
    static const std::string s =
        "json_build_object('id', al.id, 'title', al.title, 'album_artist_id', al.album_artist_id, "
        "'release_year', al.release_year, 'musicbrainz_albumid', al.musicbrainz_albumid, "
        "'date_added', " +
        iso_ts_sql("al.date_added") + ", 'date_modified', " + iso_ts_sql("al.date_modified") +
        ", 'covers', " + covers_json_sql("album", "al.id") + ")";
    return s;
}

const std::string& track_json_sql() {
    static const std::string s = build_track_json();
    return s;
}

const std::string& track_from_sql() {
    static const std::string s =
        "tracks t LEFT JOIN audio_features af ON af.track_id = t.id" SONIQUE_ANALYSED_JOIN("t.id");
    return s;
}

const std::string& track_order_sql() {
    static const std::string s =
        "COALESCE(t.disc_no, 1), t.track_no NULLS LAST, lower(t.title), t.id";
    return s;
}

const std::string& genre_json_sql() {
    static const std::string s = "json_build_object('id', g.id, 'name', g.name, 'date_added', " +
                                 iso_ts_sql("g.date_added") + ", 'date_modified', " +
                                 iso_ts_sql("g.date_modified") + ")";
    return s;
}

std::string pg_int_array(const std::vector<int64_t>& ids) {
    std::string out = "{";
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "}";
}

std::string pg_text_array(const std::vector<std::string>& values) {
    std::string out = "{";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

std::string like_pattern(std::string_view text) {
    std::string out = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') out += '\\';
        out += c;
    }
    return out + "%";
}

std::string page_sql(int64_t skip, int64_t limit) {
    return " OFFSET " + std::to_string(skip) + " LIMIT " + std::to_string(limit);
}

std::string first_json(const db::Result& result, std::string_view fallback) {
    if (result.empty() || result.is_null(0, 0)) return std::string(fallback);
    return result.str(0, 0);
}

std::string tracks_by_ids(db::Connection& conn, const std::vector<int64_t>& ids) {
    static const std::string sql = "SELECT COALESCE(json_agg(" + track_json_sql() +
                                   " ORDER BY x.ord), '[]'::json) FROM unnest($1::bigint[]) "
                                   "WITH ORDINALITY AS x(id, ord) JOIN " +
                                   track_from_sql() + " ON t.id = x.id";
    return first_json(conn.exec(sql, db::Params(pg_int_array(ids))));
}

}  // namespace sonique::services

namespace sonique::services {

void invalidate_catalog(cache::Cache& cache) {
    namespace ns = cache::ns;
    cache.invalidate(
        {ns::kArtists, ns::kAlbums, ns::kTracks, ns::kCovers, ns::kGenres, ns::kLibrary});
}

}  // namespace sonique::services
