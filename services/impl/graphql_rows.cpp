// Rows of the GraphQL SQL (graphql_sql.hpp) as camelCase JSON objects.
#include "core/strings.hpp"
#include "graphql_internal.hpp"

namespace sonique::services::gql {
namespace {

enum class T { kInt, kFloat, kText };
struct Col {
    const char* name;
    T type;
};

constexpr int kTrackCols = 22;
const Col kTrack[] = {{"id", T::kInt},
                      {"title", T::kText},
                      {"path", T::kText},
                      {"trackArtistId", T::kInt},
                      {"albumId", T::kInt},
                      {"duration", T::kInt},
                      {"trackNumber", T::kText},
                      {"discNumber", T::kText},
                      {"year", T::kText},
                      {"genre", T::kText},
                      {"fileType", T::kText},
                      {"bitrate", T::kInt},
                      {"featuredArtists", T::kText},
                      {"musicbrainzId", T::kText},
                      {"musicbrainzAlbumid", T::kText},
                      {"musicbrainzArtistid", T::kText},
                      {"musicbrainzAlbumartistid", T::kText},
                      {"acoustidFingerprint", T::kText},
                      {"fileMtime", T::kFloat},
                      {"fileSize", T::kInt},
                      {"dateAdded", T::kText},
                      {"dateModified", T::kText},
                      // audio features
                      {"bpm", T::kFloat},
                      {"key", T::kText},
                      {"scale", T::kText},
                      {"danceability", T::kFloat},
                      {"moodHappy", T::kFloat},
                      {"moodAggressive", T::kFloat},
                      {"moodParty", T::kFloat},
                      {"moodRelaxed", T::kFloat},
                      {"instrumental", T::kFloat},
                      {"acoustic", T::kFloat},
                      {"tonal", T::kFloat},
                      {"camelotKey", T::kText},
                      {"genreMain", T::kText}};
const Col kArtist[] = {{"id", T::kInt},
                       {"name", T::kText},
                       {"musicbrainzArtistid", T::kText},
                       {"dateAdded", T::kText},
                       {"dateModified", T::kText}};
const Col kAlbum[] = {{"id", T::kInt},
                      {"title", T::kText},
                      {"albumArtistId", T::kInt},
                      {"releaseYear", T::kText},
                      {"musicbrainzAlbumid", T::kText},
                      {"dateAdded", T::kText},
                      {"dateModified", T::kText}};

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

void read_cols(const db::Result& r, int row, const Col* cols, int n, Json& out) {
    for (int i = 0; i < n; ++i)
        out[cols[i].name] = cell(r, row, i, cols[i].type);
}

// [Cover] from the four cover columns starting at col (empty when the entity has none).
Json covers(const db::Result& r, int row, int col, const char* type, const Json& entity_id) {
    Json list = Json::array();
    if (r.is_null(row, col)) return list;
    list.push_back({{"id", r.int64(row, col)},
                    {"entityType", type},
                    {"entityId", entity_id},
                    {"url", std::string("/covers/") + type + "/" + entity_id.dump()},
                    {"mimeType", cell(r, row, col + 1, T::kText)},
                    {"dateAdded", cell(r, row, col + 2, T::kText)},
                    {"dateModified", cell(r, row, col + 3, T::kText)}});
    return list;
}

}  // namespace

Json artist_row(const db::Result& r, int row) {
    Json a = Json::object();
    read_cols(r, row, kArtist, 5, a);
    a["covers"] = covers(r, row, 5, "artist", a["id"]);
    return a;
}

Json album_row(const db::Result& r, int row) {
    Json a = Json::object();
    read_cols(r, row, kAlbum, 7, a);
    a["covers"] = covers(r, row, 7, "album", a["id"]);
    return a;
}

Json track_row(const db::Result& r, int row) {
    Json t = Json::object();
    bool full = r.cols() > kTrackCols;
    read_cols(r, row, kTrack, full ? static_cast<int>(std::size(kTrack)) : kTrackCols, t);
    if (full) t["covers"] = covers(r, row, static_cast<int>(std::size(kTrack)), "track", t["id"]);
    return t;
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
