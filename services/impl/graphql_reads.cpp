// Object types and read queries of the library schema. Fields below the root are resolved
// for all parents at once (one query per level): artist.albums loads the albums of every
// artist in the level, album.tracks the tracks of every album.
#include <map>

#include "graphql_internal.hpp"
#include "graphql_sql.hpp"
#include "services/similarity.hpp"

namespace sonique::services::gql {
namespace {

using graphql::InputValue;
using graphql::Kind;
using graphql::ResolveInfo;
using graphql::Resolver;
using graphql::Schema;

#define GQL_TRACK_FILTER                                                           \
    "WHERE ($1::bigint IS NULL OR e.track_artist_id = $1) "                        \
    "AND ($2::bigint IS NULL OR e.album_id = $2) "                                 \
    "AND ($3::text IS NULL OR lower(e.genre) = lower($3)) "                        \
    "AND ($4::text IS NULL OR e.year = $4) AND ($5::text IS NULL OR e.path = $5) " \
    "ORDER BY e.id OFFSET $6 LIMIT $7"

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

// Optional filters (`$1 IS NULL OR ...`) need a plan made for the actual values; lookups by
// ids and pages do not, and are then planned once per connection.
enum class Plan { kGeneric, kPerValues };

// The rows of fields.select() + tail, as objects.
Json rows(const ResolveInfo& info, const RowFields& fields, const std::string& tail,
          const db::Params& params = {}, Plan plan = Plan::kGeneric) {
    auto& req = request(info);
    const std::string sql = fields.select() + tail;
    auto r = plan == Plan::kGeneric ? req.exec_generic(sql, params) : req.exec(sql, params);
    Json list = Json::array();
    for (int i = 0; i < r.rows(); ++i)
        list.push_back(fields.read(r, i));
    return list;
}

// The entity whose id is the argument "id", or null.
Json one_by_id(const ResolveInfo& info, const RowFields& fields) {
    auto r = request(info).exec(fields.select() + "WHERE e.id = $1",
                                db::Params(info.args["id"].get<int64_t>()));
    return r.empty() ? Json() : fields.read(r, 0);
}

// Groups rows by the integer column group_key of each row object, one list per parent.
std::vector<Json> group(const ResolveInfo& info, Json list, const char* group_key) {
    std::map<int64_t, Json> by_parent;
    for (auto& item : list)
        by_parent[(item)[group_key].get<int64_t>()].push_back(std::move(item));
    // Each group is moved to its parent; a parent id seen again (the same entity reached twice)
    // gets a copy of the first one's group.
    std::map<int64_t, size_t> first_of;
    std::vector<Json> out;
    out.reserve(info.parents.size());
    for (const Json* p : info.parents) {
        const int64_t id = p->value("id", int64_t{-1});
        if (auto seen = first_of.find(id); seen != first_of.end()) {
            out.push_back(out[seen->second]);
            continue;
        }
        first_of.emplace(id, out.size());
        auto it = by_parent.find(id);
        out.push_back(it == by_parent.end() ? Json::array() : std::move(it->second));
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
    t.add_field("loudness", "Float", "Integrated loudness (LUFS) measured by the sonic analysis.");
    for (const char* f : {"replaygainTrackGain", "replaygainTrackPeak", "replaygainAlbumGain",
                          "replaygainAlbumPeak"})
        t.add_field(f, "Float", "The written value (tags, API), else the analysed one.");
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
        std::map<int64_t, Json> covers;
        for (auto& t : rows(info, RowFields::track(nullptr), "WHERE e.id = ANY($1::bigint[])",
                            db::Params(id_array(parents, "id"))))
            covers[t["id"].get<int64_t>()] = std::move(t["covers"]);
        for (size_t i = 0; i < parents.size(); ++i)
            if (!parents[i]->contains("covers"))
                out[i] = covers[parents[i]->value("id", int64_t{-1})];
        return out;
    });
}

// Artist.similarArtists for every parent at once: the providers' look-ups, then one statement.
std::vector<Json> similar_artists(const ResolveInfo& info) {
    int64_t limit = info.args.value("limit", 10);
    if (limit < 1 || limit > 50) throw graphql::FieldError("limit must be between 1 and 50");
    auto& req = request(info);
    std::vector<int64_t> ids;
    for (const Json* p : info.parents)
        ids.push_back(p->value("id", int64_t{-1}));
    std::vector<Json> out;
    if (!req.similarity) return std::vector<Json>(info.parents.size(), Json::array());
    ++req.round_trips;
    auto lists = req.similarity->similar_artists_of(ids, limit);
    for (int64_t id : ids)
        out.push_back(lists[id]);
    return out;
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
        .add_field("albums", "[Album!]!", "By year, then title.", {},
                   [](const ResolveInfo& info) {
                       std::vector<const Json*> parents(info.parents.begin(), info.parents.end());
                       return group(info,
                                    rows(info, RowFields::album(&info),
                                         "WHERE e.album_artist_id = ANY($1::bigint[]) ORDER BY "
                                         "e.album_artist_id, e.release_year, lower(e.title), e.id",
                                         db::Params(id_array(parents, "id"))),
                                    "albumArtistId");
                   })
        .add_field("similarArtists", "[SimilarArtist!]!",
                   "As GET /api/artists/{id}/similar: stored and computed, one per artist, best "
                   "first.",
                   {{"limit", "Int", Json(10), "Artists to return (1..50)."}}, similar_artists);
    s.add_type("SimilarArtist", Kind::kObject,
               "An artist similar to another: stored (Last.fm) or computed (tags, sonic).")
        .add_field("id", "Int!", "The similar artist's id.")
        .add_field("name", "String!")
        .add_field("weight", "Float!", "0..1, best first.")
        .add_field("source", "String!", "\"lastfm\", \"tags\", \"sonic\", ...");
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
                       return group(info,
                                    rows(info, RowFields::track(&info),
                                         "WHERE e.album_id = ANY($1::bigint[]) ORDER BY "
                                         "e.album_id, e.disc_no, e.track_no, e.id",
                                         db::Params(id_array(parents, "id"))),
                                    "albumId");
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
    std::vector<InputValue> id_arg{{"id", "Int!", std::nullopt, ""}};
    q.add_field(
        "artist", "Artist", "An artist, or null.", id_arg,
        root([](const ResolveInfo& info) { return one_by_id(info, RowFields::artist(&info)); }));
    q.add_field(
        "artists", "[Artist!]!", "By name.", page_args(), root([](const ResolveInfo& info) {
            check_page(info.args);
            return rows(
                info, RowFields::artist(&info), "ORDER BY lower(e.name), e.id OFFSET $1 LIMIT $2",
                db::Params(info.args["skip"].get<int64_t>(), info.args["limit"].get<int64_t>()));
        }));
    q.add_field("album", "Album", "An album, or null.", id_arg, root([](const ResolveInfo& info) {
                    return one_by_id(info, RowFields::album(&info));
                }));
    q.add_field(
        "albums", "[Album!]!", "By title.", page_args(), root([](const ResolveInfo& info) {
            check_page(info.args);
            return rows(
                info, RowFields::album(&info), "ORDER BY lower(e.title), e.id OFFSET $1 LIMIT $2",
                db::Params(info.args["skip"].get<int64_t>(), info.args["limit"].get<int64_t>()));
        }));
    q.add_field("track", "Track", "A track, or null.", id_arg, root([](const ResolveInfo& info) {
                    return one_by_id(info, RowFields::track(&info));
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
            return rows(info, RowFields::track(&info), GQL_TRACK_FILTER, p, Plan::kPerValues);
        }));
    q.add_field("genre", "Genre", "A genre, or null.", id_arg, root([](const ResolveInfo& info) {
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
