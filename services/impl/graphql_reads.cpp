// Object types and read queries of the library schema. Fields below the root are resolved
// for all parents at once (one query per level): artist.albums loads the albums of every
// artist in the level, album.tracks the tracks of every album.
#include <map>

#include "graphql_internal.hpp"
#include "graphql_sql.hpp"

namespace sonique::services::gql {
namespace {

using graphql::InputValue;
using graphql::Kind;
using graphql::ResolveInfo;
using graphql::Resolver;
using graphql::Schema;

#define GQL_TRACK_FILTER                                                           \
    "WHERE ($1::bigint IS NULL OR t.track_artist_id = $1) "                        \
    "AND ($2::bigint IS NULL OR t.album_id = $2) "                                 \
    "AND ($3::text IS NULL OR lower(t.genre) = lower($3)) "                        \
    "AND ($4::text IS NULL OR t.year = $4) AND ($5::text IS NULL OR t.path = $5) " \
    "ORDER BY t.id OFFSET $6 LIMIT $7"

// Whether a track selection needs the audio-features and cover joins.
bool needs_full_track(const ResolveInfo& info) {
    static const char* kJoined[] = {
        "bpm",       "key",         "scale",        "danceability", "moodHappy", "moodAggressive",
        "moodParty", "moodRelaxed", "instrumental", "acoustic",     "tonal",     "camelotKey",
        "genreMain", "covers"};
    for (const char* f : kJoined)
        if (info.selects(f)) return true;
    return false;
}

std::vector<InputValue> page_args() {
    return {{"skip", "Int", Json(0), "Rows to skip (>= 0)."},
            {"limit", "Int", Json(100), "Rows to return (1..1000)."}};
}

// A root field answering one value computed by load(info).
Resolver root(std::function<Json(const ResolveInfo&)> load) {
    return [load](const ResolveInfo& info) {
        return std::vector<Json>(info.parents.size(), load(info));
    };
}

Json rows(const db::Result& r, Json (*read)(const db::Result&, int)) {
    Json list = Json::array();
    for (int i = 0; i < r.rows(); ++i)
        list.push_back(read(r, i));
    return list;
}

Json first_row(const db::Result& r, Json (*read)(const db::Result&, int)) {
    return r.empty() ? Json() : read(r, 0);
}

// Groups rows by the integer column group_key of each row object, one list per parent.
std::vector<Json> group(const ResolveInfo& info, Json list, const char* group_key) {
    std::map<int64_t, Json> by_parent;
    for (auto& item : list)
        by_parent[(item)[group_key].get<int64_t>()].push_back(std::move(item));
    std::vector<Json> out;
    for (const Json* p : info.parents) {
        auto it = by_parent.find(p->value("id", int64_t{-1}));
        out.push_back(it == by_parent.end() ? Json::array() : it->second);
    }
    return out;
}

Json simple_rows(const db::Result& r, bool dated) {
    Json list = Json::array();
    for (int i = 0; i < r.rows(); ++i) {
        Json g = {{"id", r.int64(i, 0)}, {"name", r.str(i, 1)}};
        if (dated) {
            g["dateAdded"] = r.str(i, 2);
            g["dateModified"] = r.str(i, 3);
        }
        list.push_back(std::move(g));
    }
    return list;
}

// genreTags / moodTags of each track: the parent's own list when it has one, else one query.
Resolver track_tags(const char* key, const char* sql) {
    return [key, sql](const ResolveInfo& info) {
        std::vector<Json> out;
        bool all_known = true;
        for (const Json* p : info.parents)
            all_known = all_known && p->contains(key);
        if (all_known) {
            for (const Json* p : info.parents)
                out.push_back((*p)[key]);
            return out;
        }
        auto r = request(info).exec(
            sql, db::Params(id_array({info.parents.begin(), info.parents.end()}, "id")));
        std::map<int64_t, Json> by_track;
        for (int i = 0; i < r.rows(); ++i)
            by_track[r.int64(i, 0)].push_back(r.str(i, 1));
        for (const Json* p : info.parents) {
            auto it = by_track.find(p->value("id", int64_t{-1}));
            out.push_back(it == by_track.end() ? Json::array() : it->second);
        }
        return out;
    };
}

void add_track_type(Schema& s) {
    auto& t = s.add_type("Track", Kind::kObject, "A track (an audio file).");
    t.add_field("id", "Int!").add_field("title", "String!").add_field("path", "String!");
    t.add_field("trackArtistId", "Int!").add_field("albumId", "Int");
    t.add_field("duration", "Int", "Seconds.");
    t.add_field("trackNumber", "String", "Raw tag text, e.g. \"3/12\".");
    t.add_field("discNumber", "String").add_field("year", "String").add_field("genre", "String");
    t.add_field("fileType", "String", "MIME type.").add_field("bitrate", "Int", "kbps.");
    for (const char* f : {"featuredArtists", "musicbrainzId", "musicbrainzAlbumid",
                          "musicbrainzArtistid", "musicbrainzAlbumartistid", "acoustidFingerprint"})
        t.add_field(f, "String");
    t.add_field("fileMtime", "Float").add_field("fileSize", "Float", "Bytes.");
    t.add_field("dateAdded", "String").add_field("dateModified", "String");
    t.add_field("bpm", "Float").add_field("key", "String").add_field("scale", "String");
    for (const char* f : {"danceability", "moodHappy", "moodAggressive", "moodParty", "moodRelaxed",
                          "instrumental", "acoustic", "tonal"})
        t.add_field(f, "Float");
    t.add_field("camelotKey", "String").add_field("genreMain", "String");
    t.add_field("genreTags", "[String!]!", "", {},
                track_tags("genreTags",
                           "SELECT l.track_id, g.name FROM track_genre_tags l JOIN genre_tags g "
                           "ON g.id = l.tag_id WHERE l.track_id = ANY($1::bigint[]) "
                           "ORDER BY l.track_id, g.name"));
    t.add_field("moodTags", "[String!]!", "", {},
                track_tags("moodTags",
                           "SELECT l.track_id, m.name FROM track_mood_tags l JOIN mood_tags m "
                           "ON m.id = l.tag_id WHERE l.track_id = ANY($1::bigint[]) "
                           "ORDER BY l.track_id, m.name"));
    t.add_field("covers", "[Cover!]!", "", {}, [](const ResolveInfo& info) {
        std::vector<Json> out;
        for (const Json* p : info.parents)
            out.push_back(p->value("covers", Json::array()));
        bool missing = false;
        for (const Json* p : info.parents)
            missing = missing || !p->contains("covers");
        if (!missing) return out;
        std::vector<const Json*> parents(info.parents.begin(), info.parents.end());
        auto r = request(info).exec(GQL_TRACK_FULL "WHERE t.id = ANY($1::bigint[])",
                                    db::Params(id_array(parents, "id")));
        std::map<int64_t, Json> by_id;
        for (int i = 0; i < r.rows(); ++i)
            by_id[r.int64(i, 0)] = track_row(r, i)["covers"];
        for (size_t i = 0; i < parents.size(); ++i)
            if (!parents[i]->contains("covers"))
                out[i] = by_id[parents[i]->value("id", int64_t{-1})];
        return out;
    });
}

}  // namespace

void add_object_types(Schema& s) {
    s.add_type("Cover", Kind::kObject, "The cover of an artist, album or track.")
        .add_field("id", "Int!")
        .add_field("entityType", "String!", "artist, album or track.")
        .add_field("entityId", "Int!")
        .add_field("url", "String!", "/covers/<entityType>/<entityId>")
        .add_field("mimeType", "String")
        .add_field("dateAdded", "String")
        .add_field("dateModified", "String");
    s.add_type("Artist", Kind::kObject, "An artist.")
        .add_field("id", "Int!")
        .add_field("name", "String!")
        .add_field("musicbrainzArtistid", "String")
        .add_field("dateAdded", "String")
        .add_field("dateModified", "String")
        .add_field("covers", "[Cover!]!")
        .add_field("albums", "[Album!]!", "By year, then title.", {}, [](const ResolveInfo& info) {
            std::vector<const Json*> parents(info.parents.begin(), info.parents.end());
            auto r =
                request(info).exec(GQL_ALBUM_SELECT
                                   "WHERE al.album_artist_id = ANY($1::bigint[]) ORDER BY "
                                   "al.album_artist_id, al.release_year, lower(al.title), al.id",
                                   db::Params(id_array(parents, "id")));
            return group(info, rows(r, album_row), "albumArtistId");
        });
    s.add_type("Album", Kind::kObject, "An album.")
        .add_field("id", "Int!")
        .add_field("title", "String!")
        .add_field("albumArtistId", "Int!")
        .add_field("releaseYear", "String", "\"YYYY\".")
        .add_field("musicbrainzAlbumid", "String")
        .add_field("dateAdded", "String")
        .add_field("dateModified", "String")
        .add_field("covers", "[Cover!]!")
        .add_field("tracks", "[Track!]!", "By disc, then track number.", {},
                   [](const ResolveInfo& info) {
                       std::vector<const Json*> parents(info.parents.begin(), info.parents.end());
                       auto r = request(info).exec(needs_full_track(info) ? GQL_TRACK_FULL
                                                       "WHERE t.album_id = ANY($1::bigint[]) ORDER "
                                                       "BY t.album_id, t.disc_no, t.track_no, t.id"
                                                                          : GQL_TRACK_LIGHT
                                                       "WHERE t.album_id = ANY($1::bigint[]) ORDER "
                                                       "BY t.album_id, t.disc_no, t.track_no, t.id",
                                                   db::Params(id_array(parents, "id")));
                       return group(info, rows(r, track_row), "albumId");
                   });
    add_track_type(s);
    s.add_type("Genre", Kind::kObject, "A genre.")
        .add_field("id", "Int!")
        .add_field("name", "String!")
        .add_field("dateAdded", "String")
        .add_field("dateModified", "String");
    s.add_type("Tag", Kind::kObject, "A genre or mood tag.")
        .add_field("id", "Int!")
        .add_field("name", "String!");
    auto& filter =
        s.add_type("TrackFilter", Kind::kInputObject, "Filters of tracks (all optional).");
    filter.input_fields = {{"artistId", "Int", std::nullopt, "Track artist."},
                           {"albumId", "Int", std::nullopt, ""},
                           {"genre", "String", std::nullopt, "Case-insensitive equality."},
                           {"year", "String", std::nullopt, ""},
                           {"filePath", "String", std::nullopt, "Exact path."}};
}

void add_query_fields(Schema& s) {
    auto& q = s.add_type("Query", Kind::kObject, "Reads of the music library.");
    std::vector<InputValue> by_id{{"id", "Int!", std::nullopt, ""}};
    q.add_field("artist", "Artist", "An artist, or null.", by_id, root([](const ResolveInfo& info) {
                    return first_row(request(info).exec(GQL_ARTIST_SELECT "WHERE a.id = $1",
                                                        db::Params(info.args["id"].get<int64_t>())),
                                     artist_row);
                }));
    q.add_field("artists", "[Artist!]!", "By name.", page_args(), root([](const ResolveInfo& info) {
                    check_page(info.args);
                    return rows(
                        request(info).exec(GQL_ARTIST_SELECT
                                           "ORDER BY lower(a.name), a.id OFFSET $1 LIMIT $2",
                                           db::Params(info.args["skip"].get<int64_t>(),
                                                      info.args["limit"].get<int64_t>())),
                        artist_row);
                }));
    q.add_field("album", "Album", "An album, or null.", by_id, root([](const ResolveInfo& info) {
                    return first_row(request(info).exec(GQL_ALBUM_SELECT "WHERE al.id = $1",
                                                        db::Params(info.args["id"].get<int64_t>())),
                                     album_row);
                }));
    q.add_field("albums", "[Album!]!", "By title.", page_args(), root([](const ResolveInfo& info) {
                    check_page(info.args);
                    return rows(
                        request(info).exec(GQL_ALBUM_SELECT
                                           "ORDER BY lower(al.title), al.id OFFSET $1 LIMIT $2",
                                           db::Params(info.args["skip"].get<int64_t>(),
                                                      info.args["limit"].get<int64_t>())),
                        album_row);
                }));
    q.add_field("track", "Track", "A track, or null.", by_id, root([](const ResolveInfo& info) {
                    return first_row(request(info).exec(GQL_TRACK_FULL "WHERE t.id = $1",
                                                        db::Params(info.args["id"].get<int64_t>())),
                                     track_row);
                }));
    auto track_args = page_args();
    track_args.push_back({"where", "TrackFilter", std::nullopt, "Filters."});
    q.add_field(
        "tracks", "[Track!]!", "By id.", track_args, root([](const ResolveInfo& info) {
            check_page(info.args);
            Json w = info.args.value("where", Json::object());
            if (!w.is_object()) w = Json::object();
            auto opt_int = [&](const char* k) {
                return w.value(k, Json()).is_number() ? std::optional<int64_t>(w[k].get<int64_t>())
                                                      : std::nullopt;
            };
            auto opt_str = [&](const char* k) {
                return w.value(k, Json()).is_string()
                           ? std::optional<std::string>(w[k].get<std::string>())
                           : std::nullopt;
            };
            db::Params p(opt_int("artistId"), opt_int("albumId"), opt_str("genre"), opt_str("year"),
                         opt_str("filePath"), info.args["skip"].get<int64_t>(),
                         info.args["limit"].get<int64_t>());
            return rows(request(info).exec(GQL_TRACK_FULL GQL_TRACK_FILTER, p), track_row);
        }));
    q.add_field("genre", "Genre", "A genre, or null.", by_id, root([](const ResolveInfo& info) {
                    Json list = simple_rows(
                        request(info).exec("SELECT id, name, " GQL_TS("date_added") ", " GQL_TS(
                                               "date_modified") " FROM genres WHERE id = $1",
                                           db::Params(info.args["id"].get<int64_t>())),
                        true);
                    return list.empty() ? Json() : list[0];
                }));
    q.add_field(
        "genres", "[Genre!]!", "By name.", page_args(), root([](const ResolveInfo& info) {
            check_page(info.args);
            return simple_rows(
                request(info).exec(
                    "SELECT id, name, " GQL_TS("date_added") ", " GQL_TS(
                        "date_modified") " FROM genres ORDER BY lower(name), id OFFSET $1 LIMIT $2",
                    db::Params(info.args["skip"].get<int64_t>(),
                               info.args["limit"].get<int64_t>())),
                true);
        }));
    q.add_field("genreTags", "[Tag!]!", "By name.", {}, root([](const ResolveInfo& info) {
                    return simple_rows(
                        request(info).exec("SELECT id, name FROM genre_tags ORDER BY name, id"),
                        false);
                }));
    q.add_field("moodTags", "[Tag!]!", "By name.", {}, root([](const ResolveInfo& info) {
                    return simple_rows(
                        request(info).exec("SELECT id, name FROM mood_tags ORDER BY name, id"),
                        false);
                }));
}

}  // namespace sonique::services::gql
