// The SELECT of each GraphQL entity, reduced to the columns a selection asks for, and its rows
// as camelCase JSON objects.
#include "analysed_values_sql.hpp"
#include "graphql_internal.hpp"
#include "graphql_sql.hpp"

namespace sonique::services::gql {

enum class RowFields::T { kInt, kFloat, kText };
struct RowFields::Col {
    const char* name;
    T type;
    const char* sql;
    bool features;  // from audio_features or analysed_track_values (tracks only)
};
struct RowFields::Entity {
    const Col* cols;
    size_t count;
    const char* cover_type;  // covers.entity_type
    const char* from;        // FROM clause; the entity's alias is "e"
};

namespace {

using T = RowFields::T;
using Col = RowFields::Col;

const Col kArtist[] = {{"id", T::kInt, "e.id", false},
                       {"name", T::kText, "e.name", false},
                       {"musicbrainzArtistid", T::kText, "e.musicbrainz_artistid", false},
                       {"dateAdded", T::kText, GQL_TS("e.date_added"), false},
                       {"dateModified", T::kText, GQL_TS("e.date_modified"), false}};
const Col kAlbum[] = {{"id", T::kInt, "e.id", false},
                      {"title", T::kText, "e.title", false},
                      {"albumArtistId", T::kInt, "e.album_artist_id", false},
                      {"releaseYear", T::kText, "e.release_year", false},
                      {"musicbrainzAlbumid", T::kText, "e.musicbrainz_albumid", false},
                      {"dateAdded", T::kText, GQL_TS("e.date_added"), false},
                      {"dateModified", T::kText, GQL_TS("e.date_modified"), false}};
const Col kTrack[] = {{"id", T::kInt, "e.id", false},
                      {"title", T::kText, "e.title", false},
                      {"path", T::kText, "e.path", false},
                      {"trackArtistId", T::kInt, "e.track_artist_id", false},
                      {"albumId", T::kInt, "e.album_id", false},
                      {"duration", T::kInt, "e.duration", false},
                      {"trackNumber", T::kText, "e.track_number", false},
                      {"discNumber", T::kText, "e.disc_number", false},
                      {"year", T::kText, "e.year", false},
                      {"genre", T::kText, "e.genre", false},
                      {"fileType", T::kText, "e.file_type", false},
                      {"bitrate", T::kInt, "e.bitrate", false},
                      {"featuredArtists", T::kText, "e.featured_artists", false},
                      {"musicbrainzId", T::kText, "e.musicbrainz_id", false},
                      {"musicbrainzAlbumid", T::kText, "e.musicbrainz_albumid", false},
                      {"musicbrainzArtistid", T::kText, "e.musicbrainz_artistid", false},
                      {"musicbrainzAlbumartistid", T::kText, "e.musicbrainz_albumartistid", false},
                      {"acoustidFingerprint", T::kText, "e.acoustid_fingerprint", false},
                      {"fileMtime", T::kFloat, "e.file_mtime", false},
                      {"fileSize", T::kInt, "e.file_size", false},
                      {"dateAdded", T::kText, GQL_TS("e.date_added"), false},
                      {"dateModified", T::kText, GQL_TS("e.date_modified"), false},
                      {"bpm", T::kFloat, SONIQUE_SHOWN_BPM, true},
                      {"key", T::kText, SONIQUE_SHOWN_KEY, true},
                      {"scale", T::kText, SONIQUE_SHOWN_SCALE, true},
                      {"danceability", T::kFloat, "af.danceability", true},
                      {"moodHappy", T::kFloat, "af.mood_happy", true},
                      {"moodAggressive", T::kFloat, "af.mood_aggressive", true},
                      {"moodParty", T::kFloat, "af.mood_party", true},
                      {"moodRelaxed", T::kFloat, "af.mood_relaxed", true},
                      {"instrumental", T::kFloat, "af.instrumental", true},
                      {"acoustic", T::kFloat, "af.acoustic", true},
                      {"tonal", T::kFloat, "af.tonal", true},
                      {"camelotKey", T::kText, SONIQUE_SHOWN_CAMELOT, true},
                      {"genreMain", T::kText, "af.genre_main", true},
                      // As the REST Track's: written (tags, API), else analysed.
                      {"loudness", T::kFloat, "atv.loudness", true},
                      {"replaygainTrackGain", T::kFloat,
                       "COALESCE(e.replaygain_track_gain, atv.replaygain_track_gain)", true},
                      {"replaygainTrackPeak", T::kFloat,
                       "COALESCE(e.replaygain_track_peak, atv.replaygain_track_peak)", true},
                      {"replaygainAlbumGain", T::kFloat,
                       "COALESCE(e.replaygain_album_gain, (SELECT aav.replaygain_album_gain FROM "
                       "analysed_album_values aav WHERE aav.album_id = e.album_id))",
                       true},
                      {"replaygainAlbumPeak", T::kFloat,
                       "COALESCE(e.replaygain_album_peak, (SELECT aav.replaygain_album_peak FROM "
                       "analysed_album_values aav WHERE aav.album_id = e.album_id))",
                       true}};

const RowFields::Entity kArtists{kArtist, std::size(kArtist), "artist", "artists e"};
const RowFields::Entity kAlbums{kAlbum, std::size(kAlbum), "album", "albums e"};
const RowFields::Entity kTracks{kTrack, std::size(kTrack), "track", "tracks e"};

Json cell(const db::Result& r, int row, int col, T type) {
    if (r.is_null(row, col)) return nullptr;
    switch (type) {
        case T::kInt:
            return r.int64(row, col);
        case T::kFloat:
            return r.dbl(row, col);
        case T::kText:
            return r.str(row, col);
    }
    return nullptr;
}

// Keys every row keeps whatever the selection: the loaders of the next level read them.
bool always_kept(std::string_view name) {
    return name == "id" || name == "albumArtistId" || name == "albumId";
}

}  // namespace

RowFields::RowFields(const Entity& e, const graphql::ResolveInfo* info) : entity_(&e) {
    for (size_t i = 0; i < e.count; ++i)
        if (!info || always_kept(e.cols[i].name) || info->selects(e.cols[i].name))
            wanted_.push_back(&e.cols[i]);
    covers_ = !info || info->selects("covers");
}

RowFields RowFields::artist(const graphql::ResolveInfo* info) {
    return RowFields(kArtists, info);
}
RowFields RowFields::album(const graphql::ResolveInfo* info) {
    return RowFields(kAlbums, info);
}
RowFields RowFields::track(const graphql::ResolveInfo* info) {
    return RowFields(kTracks, info);
}

std::string RowFields::select() const {
    std::string sql = "SELECT ";
    bool features = false;
    for (const Col* c : wanted_) {
        if (c != wanted_.front()) sql += ", ";
        sql += c->sql;
        features = features || c->features;
    }
    if (covers_)
        sql += ", cv.id, cv.mime_type, " GQL_TS("cv.date_added") ", " GQL_TS("cv.date_modified");
    sql += " FROM ";
    sql += entity_->from;
    if (features)
        sql += " LEFT JOIN audio_features af ON af.track_id = e.id" SONIQUE_ANALYSED_JOIN("e.id");
    // Each entity has at most one cover (UNIQUE (entity_type, entity_id)).
    if (covers_)
        sql += std::string(" LEFT JOIN covers cv ON cv.entity_type = '") + entity_->cover_type +
               "' AND cv.entity_id = e.id";
    return sql + " ";
}

Json RowFields::read(const db::Result& r, int row) const {
    Json out = Json::object();
    int col = 0;
    for (const Col* c : wanted_)
        out[c->name] = cell(r, row, col++, c->type);
    if (!covers_) return out;
    Json list = Json::array();
    if (!r.is_null(row, col)) {
        int64_t id = r.int64(row, 0);  // "id" is always the first column
        list.push_back(
            {{"id", r.int64(row, col)},
             {"entityType", entity_->cover_type},
             {"entityId", id},
             {"url", std::string("/covers/") + entity_->cover_type + "/" + std::to_string(id)},
             {"mimeType", cell(r, row, col + 1, T::kText)},
             {"dateAdded", cell(r, row, col + 2, T::kText)},
             {"dateModified", cell(r, row, col + 3, T::kText)}});
    }
    out["covers"] = std::move(list);
    return out;
}

std::optional<PlainColumn> plain_column(std::string_view entity, std::string_view field) {
    for (const RowFields::Entity* e : {&kArtists, &kAlbums, &kTracks}) {
        if (entity != e->cover_type) continue;
        for (size_t i = 0; i < e->count; ++i) {
            const Col& c = e->cols[i];
            if (field != c.name) continue;
            if (c.features || c.type == T::kFloat) return std::nullopt;
            return PlainColumn{c.sql, c.type == T::kText};
        }
    }
    return std::nullopt;
}

std::string id_array(const std::vector<const Json*>& parents, const char* key) {
    std::string out = "{";
    for (const Json* p : parents) {
        auto it = p->find(key);
        if (it == p->end() || !it->is_number_integer()) continue;
        if (out.size() > 1) out += ',';
        out += std::to_string(it->get<int64_t>());
    }
    return out + "}";
}

void check_page(const Json& args) {
    if (args.value("skip", 0) < 0) throw graphql::FieldError("skip must be >= 0");
    int64_t limit = args.value("limit", 100);
    if (limit < 1 || limit > 1000) throw graphql::FieldError("limit must be between 1 and 1000");
}

}  // namespace sonique::services::gql
