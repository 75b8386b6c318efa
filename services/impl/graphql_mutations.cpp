// The worker's mutations go through the REST batch services (ArtistService, AlbumService,
// TrackService), so they have the same semantics by construction: GraphQL input (camelCase,
// its types already checked by the engine) becomes the services' typed inputs as the HTTP
// layer's body readers make them (names trimmed and not blank, release years reduced to "YYYY",
// tag lists trimmed), and the REST answer becomes GraphQL objects.
#include <cctype>

#include "cache/namespaces.hpp"
#include "core/strings.hpp"
#include "db/transaction.hpp"
#include "graphql_internal.hpp"
#include "graphql_sql.hpp"
#include "services/albums.hpp"
#include "services/artists.hpp"
#include "services/track_fields.hpp"
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

// A given (non-null) argument of an input object.
const Json* given(const Json& item, const char* key) {
    auto it = item.find(key);
    return it == item.end() || it->is_null() ? nullptr : &*it;
}

// A required name (String!) trimmed; a blank one is refused as the REST body readers refuse it.
std::string name_arg(const Json& item, const char* key, size_t index) {
    std::string name = trim(item.at(key).get<std::string>());
    if (name.empty())
        throw ValidationError({"data", std::to_string(index), key},
                              "String should have at least 1 character", "string_too_short");
    return name;
}

std::optional<std::string> text_arg(const Json& item, const char* key) {
    const Json* v = given(item, key);
    return v ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
}

std::vector<ArtistInput> artist_inputs(const Json& items) {
    std::vector<ArtistInput> out;
    for (size_t i = 0; i < items.size(); ++i) {
        ArtistInput in;
        in.name = name_arg(items[i], "name", i);
        in.musicbrainz_artistid = text_arg(items[i], "musicbrainzArtistid");
        out.push_back(std::move(in));
    }
    return out;
}

std::vector<AlbumInput> album_inputs(const Json& items) {
    std::vector<AlbumInput> out;
    for (size_t i = 0; i < items.size(); ++i) {
        const Json& item = items[i];
        AlbumInput in;
        in.title = name_arg(item, "title", i);
        in.album_artist_id = item.at("albumArtistId").get<int64_t>();
        if (const Json* year = given(item, "releaseYear")) {
            in.release_year = normalize_release_year(*year);
            in.has_release_year = true;
        }
        in.musicbrainz_albumid = text_arg(item, "musicbrainzAlbumid");
        in.has_mbid = in.musicbrainz_albumid.has_value();
        out.push_back(std::move(in));
    }
    return out;
}

// Tracks keep their tag lists (the REST track batch stores them); the other tolerated keys go.
std::vector<TrackInput> track_inputs(const Json& items) {
    std::vector<TrackInput> out;
    for (size_t i = 0; i < items.size(); ++i) {
        TrackInput in;
        for (const auto& [k, x] : items[i].items()) {
            if (k == "tags" || k == "musicbrainzGenre" || x.is_null()) continue;
            if (k == "genreTags" || k == "moodTags")
                in.fields[snake(k)] = tag_names(x.get<std::vector<std::string>>());
            else if (k == "fileSize" && x.is_number_float())
                // fileSize is a Float in GraphQL (sizes exceed 32 bits), an integer column.
                in.fields["file_size"] = static_cast<int64_t>(x.get<double>());
            else
                in.fields[snake(k)] = x;
            if (k == "title" || k == "path") name_arg(items[i], k.c_str(), i);  // never blank
        }
        out.push_back(std::move(in));
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
                    Json list = parse_json(
                        artists.batch(artist_inputs(Json::array({info.args["data"]}))).text);
                    return std::vector<Json>(info.parents.size(), camelize(list.at(0)));
                });
    m.add_field("createAlbums", "[Album!]!",
                "Get-or-create on (albumArtistId, title) or musicbrainzAlbumid, in input order.",
                {{"data", "[AlbumInput!]!", std::nullopt, ""}}, [](const ResolveInfo& info) {
                    AlbumService albums(request(info).services);
                    Json list = parse_json(albums.batch(album_inputs(info.args["data"])).text);
                    return std::vector<Json>(info.parents.size(), camelize(list));
                });
    m.add_field("createTracks", "[Track!]!",
                "Upsert by musicbrainzId, else by path; unchanged files (same mtime and size) are "
                "left as they are. Tag lists replace the track's tag links.",
                {{"data", "[TrackInput!]!", std::nullopt, ""}}, [](const ResolveInfo& info) {
                    TrackService tracks(request(info).services);
                    Json list = parse_json(tracks.batch(track_inputs(info.args["data"])).text);
                    return std::vector<Json>(info.parents.size(), camelize(list));
                });
}

}  // namespace sonique::services::gql
