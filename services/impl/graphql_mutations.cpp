// The worker's mutations go through the REST batch services (ArtistService, AlbumService,
// TrackService), so they have the same semantics by construction: GraphQL input (camelCase)
// becomes a REST body (snake_case), and the REST answer becomes GraphQL objects.
#include <cctype>

#include "cache/namespaces.hpp"
#include "db/transaction.hpp"
#include "graphql_internal.hpp"
#include "graphql_sql.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/tracks.hpp"

namespace sonique::services::gql {
namespace {

using graphql::InputValue;
using graphql::Kind;
using graphql::ResolveInfo;

// Input keys the worker sends that this schema tolerates and ignores (or uses, for tracks).
void add_tolerated(std::vector<InputValue>& fields) {
    fields.push_back({"genreTags", "[String!]", std::nullopt, ""});
    fields.push_back({"moodTags", "[String!]", std::nullopt, ""});
    fields.push_back({"tags", "[String!]", std::nullopt, "Accepted and ignored."});
    fields.push_back({"musicbrainzGenre", "String", std::nullopt, "Accepted and ignored."});
}

std::string snake(const std::string& camel) {
    std::string out;
    for (char c : camel) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            out += '_';
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else {
            out += c;
        }
    }
    return out;
}

std::string camel(const std::string& s) {
    std::string out;
    bool up = false;
    for (char c : s) {
        if (c == '_') {
            up = true;
            continue;
        }
        out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        up = false;
    }
    return out;
}

// REST JSON (snake_case keys, recursively) to GraphQL JSON (camelCase).
Json camelize(const Json& v) {
    if (v.is_array()) {
        Json out = Json::array();
        for (const auto& x : v)
            out.push_back(camelize(x));
        return out;
    }
    if (!v.is_object()) return v;
    Json out = Json::object();
    for (const auto& [k, x] : v.items())
        out[camel(k)] = camelize(x);
    return out;
}

// GraphQL input objects to REST bodies, dropping the tolerated extra keys (tracks keep their
// tag lists: the REST track batch stores them).
Json rest_body(const Json& items, bool keep_tag_lists = false) {
    Json out = Json::array();
    for (const auto& item : items) {
        Json b = Json::object();
        for (const auto& [k, x] : item.items()) {
            bool tag_list = k == "genreTags" || k == "moodTags";
            if ((tag_list && !keep_tag_lists) || k == "tags" || k == "musicbrainzGenre") continue;
            if (x.is_null()) continue;
            // fileSize is a Float in GraphQL (sizes exceed 32 bits) but an integer in REST.
            if (k == "fileSize" && x.is_number_float())
                b["file_size"] = static_cast<int64_t>(x.get<double>());
            else
                b[snake(k)] = x;
        }
        out.push_back(std::move(b));
    }
    return out;
}

}  // namespace

void add_mutations(graphql::Schema& s) {
    auto& artist_in = s.add_type("ArtistInput", Kind::kInputObject, "An artist to get or create.");
    artist_in.input_fields = {{"name", "String!", std::nullopt, "Matched case-insensitively."},
                              {"musicbrainzArtistid", "String", std::nullopt, ""}};
    add_tolerated(artist_in.input_fields);
    auto& album_in = s.add_type("AlbumInput", Kind::kInputObject, "An album to get or create.");
    album_in.input_fields = {{"title", "String!", std::nullopt, ""},
                             {"albumArtistId", "Int!", std::nullopt, ""},
                             {"releaseYear", "String", std::nullopt, "Reduced to \"YYYY\"."},
                             {"musicbrainzAlbumid", "String", std::nullopt, ""}};
    add_tolerated(album_in.input_fields);
    auto& track_in = s.add_type("TrackInput", Kind::kInputObject, "A track to create or update.");
    track_in.input_fields = {{"title", "String!", std::nullopt, ""},
                             {"path", "String!", std::nullopt, ""},
                             {"trackArtistId", "Int!", std::nullopt, ""}};
    for (const char* f : {"albumId", "duration", "bitrate"})
        track_in.input_fields.push_back({f, "Int", std::nullopt, ""});
    for (const char* f : {"trackNumber", "discNumber", "year", "genre", "fileType",
                          "featuredArtists", "musicbrainzId", "musicbrainzAlbumid",
                          "musicbrainzArtistid", "musicbrainzAlbumartistid", "acoustidFingerprint"})
        track_in.input_fields.push_back({f, "String", std::nullopt, ""});
    for (const char* f : {"fileMtime", "fileSize"})
        track_in.input_fields.push_back({f, "Float", std::nullopt, ""});
    // Audio fields go to the track's audio features, as with the REST track batch.
    for (const char* f : {"bpm", "danceability", "moodHappy", "moodAggressive", "moodParty",
                          "moodRelaxed", "instrumental", "acoustic", "tonal"})
        track_in.input_fields.push_back({f, "Float", std::nullopt, "Stored in audio features."});
    for (const char* f : {"key", "scale", "camelotKey", "genreMain"})
        track_in.input_fields.push_back({f, "String", std::nullopt, "Stored in audio features."});
    add_tolerated(track_in.input_fields);

    auto& m = s.add_type("Mutation", Kind::kObject, "Writes used by the scan worker.");
    s.set_mutation_type("Mutation");
    m.add_field("upsertArtist", "Artist!", "Get-or-create by case-insensitive name.",
                {{"data", "ArtistInput!", std::nullopt, ""}}, [](const ResolveInfo& info) {
                    ArtistService artists(request(info).services);
                    Json list =
                        parse_json(artists.batch(rest_body(Json::array({info.args["data"]}))));
                    return std::vector<Json>(info.parents.size(), camelize(list.at(0)));
                });
    m.add_field("createAlbums", "[Album!]!",
                "Get-or-create on (albumArtistId, title) or musicbrainzAlbumid, in input order.",
                {{"data", "[AlbumInput!]!", std::nullopt, ""}}, [](const ResolveInfo& info) {
                    AlbumService albums(request(info).services);
                    Json list = parse_json(albums.batch(rest_body(info.args["data"])));
                    return std::vector<Json>(info.parents.size(), camelize(list));
                });
    m.add_field("createTracks", "[Track!]!",
                "Upsert by musicbrainzId, else by path; unchanged files (same mtime and size) are "
                "left as they are. Tag lists replace the track's tag links.",
                {{"data", "[TrackInput!]!", std::nullopt, ""}}, [](const ResolveInfo& info) {
                    TrackService tracks(request(info).services);
                    Json list = parse_json(tracks.batch(rest_body(info.args["data"], true)));
                    return std::vector<Json>(info.parents.size(), camelize(list));
                });
}

}  // namespace sonique::services::gql
