#include "track_columns.hpp"

#include <functional>

#include "tag_split.hpp"

namespace sonique::scanner {
namespace {

using Fill = std::function<void(PgArray&, const TrackInfo&, const TrackRefs&)>;

struct Column {
    const char* name;
    const char* type;
    Fill fill;
};

#define TEXT(col, expr)                                                                    \
    {                                                                                      \
        col, "text", [](PgArray& a, const TrackInfo& t, const TrackRefs&) { a.add(expr); } \
    }
#define INT(col, expr)                                                                            \
    {                                                                                             \
        col, "integer", [](PgArray& a, const TrackInfo& t, const TrackRefs&) { a.add_num(expr); } \
    }
#define DBL(col, expr)                                                                \
    {                                                                                 \
        col, "double precision",                                                      \
            [](PgArray& a, const TrackInfo& t, const TrackRefs&) { a.add_num(expr); } \
    }

OptStr year_text(const TrackInfo& t) {
    if (!t.date) return std::nullopt;
    auto y = year_of(*t.date);
    return y ? y : t.date;
}

OptStr featured(const TrackInfo& t) {
    if (t.artists.size() < 2) return std::nullopt;
    std::string out;
    for (size_t i = 1; i < t.artists.size(); ++i)
        out += (i > 1 ? ", " : "") + t.artists[i];
    return out;
}

OptStr first_of(const std::vector<std::string>& v) {
    return v.empty() ? std::nullopt : std::optional<std::string>(v.front());
}

const std::vector<Column>& columns() {
    static const std::vector<Column> kColumns{
        TEXT("title", t.title),
        TEXT("path", t.file.path),
        {"track_artist_id", "bigint",
         [](PgArray& a, const TrackInfo&, const TrackRefs& r) {
             a.add_num(std::optional<int64_t>(r.artist_id));
         }},
        {"album_id", "bigint",
         [](PgArray& a, const TrackInfo&, const TrackRefs& r) { a.add_num(r.album_id); }},
        INT("duration", t.duration),
        TEXT("track_number", t.track_number),
        TEXT("disc_number", t.disc_number),
        INT("track_total", t.track_total),
        INT("disc_total", t.disc_total),
        TEXT("year", year_text(t)),
        TEXT("original_date", t.original_date),
        TEXT("genre", first_of(t.genres)),
        TEXT("file_type", t.mime_type),
        INT("bitrate", t.bitrate),
        INT("sample_rate", t.sample_rate),
        INT("channels", t.channels),
        INT("bit_depth", t.bit_depth),
        TEXT("featured_artists", featured(t)),
        TEXT("composer", t.composer),
        TEXT("comment", t.comment),
        TEXT("lyrics", t.lyrics),
        TEXT("isrc", t.isrc),
        TEXT("title_sort", t.title_sort),
        TEXT("artist_sort", t.artist_sort),
        TEXT("album_sort", t.album_sort),
        TEXT("album_artist_sort", t.album_artist_sort),
        TEXT("musicbrainz_id", t.mb_track),
        TEXT("musicbrainz_recordingid", t.mb_recording),
        TEXT("musicbrainz_albumid", t.mb_album),
        TEXT("musicbrainz_artistid", first_of(t.artist_mbids)),
        TEXT("musicbrainz_albumartistid", t.mb_album_artist),
        TEXT("musicbrainz_releasegroupid", t.mb_release_group),
        TEXT("acoustid_fingerprint", t.acoustid),
        DBL("replaygain_track_gain", t.rg_track_gain),
        DBL("replaygain_track_peak", t.rg_track_peak),
        DBL("replaygain_album_gain", t.rg_album_gain),
        DBL("replaygain_album_peak", t.rg_album_peak),
        DBL("file_mtime", std::optional<double>(t.file.mtime)),
        DBL("lyrics_file_mtime", t.file.sidecar_mtime),
        {"file_size", "bigint",
         [](PgArray& a, const TrackInfo& t, const TrackRefs&) {
             a.add_num(std::optional<int64_t>(t.file.size));
         }},
    };
    return kColumns;
}

#undef TEXT
#undef INT
#undef DBL

std::string build_sql() {
    std::string names, selects, unnest, alias, updates;
    const auto& cols = columns();
    for (size_t i = 0; i < cols.size(); ++i) {
        std::string n = std::to_string(i + 1);
        std::string sep = i ? ", " : "";
        names += sep + cols[i].name;
        selects += sep + "u.c" + n + "::" + cols[i].type;
        unnest += sep + "$" + n + "::text[]";
        alias += sep + "c" + n;
        if (std::string(cols[i].name) != "path")
            updates += std::string(", ") + cols[i].name + " = EXCLUDED." + cols[i].name;
    }
    return "INSERT INTO tracks (" + names + ") SELECT " + selects + " FROM unnest(" + unnest +
           ") AS u(" + alias + ") ON CONFLICT (path) DO UPDATE SET date_modified = now()" +
           updates + " RETURNING id, path, (xmax = 0) AS inserted";
}

}  // namespace

const std::string& track_upsert_sql() {
    static const std::string kSql = build_sql();
    return kSql;
}

std::vector<std::string> track_arrays(const std::vector<const TrackInfo*>& tracks,
                                      const std::vector<TrackRefs>& refs) {
    std::vector<std::string> out;
    for (const auto& col : columns()) {
        PgArray a;
        for (size_t i = 0; i < tracks.size(); ++i)
            col.fill(a, *tracks[i], refs[i]);
        out.push_back(a.str());
    }
    return out;
}

}  // namespace sonique::scanner
