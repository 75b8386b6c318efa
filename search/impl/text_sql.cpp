// Matching names against a query in one pass over the trigram indexes of migration 0015.
#include "text_sql.hpp"

namespace sonique::search {
namespace {

// The query folded (lower case, no accents), its key (also without blanks, punctuation and a
// leading article), and the folded form escaped for LIKE.
constexpr const char* kQf = "sonique_fold($1::text)";
constexpr const char* kQk = "sonique_search_key($1::text)";
constexpr const char* kQfLike =
    R"(replace(replace(replace(sonique_fold($1::text), '\', '\\'), '%', '\%'), '_', '\_'))";

// The tier and similarity columns for a name expression.
std::string rank_columns(const std::string& name) {
    return rank_columns_of("sonique_fold(" + name + ")", "sonique_search_key(" + name + ")");
}

// "1990s" for a year tag that starts with 1990..1999, else null.
std::string decade(const std::string& year) {
    return "CASE WHEN sonique_leading_int(" + year +
           ") BETWEEN 1000 AND 2999 THEN "
           "(sonique_leading_int(" +
           year + ") / 10 * 10)::text || 's' END";
}

// All the genres of a set of tracks, and their decades.
std::string genres_of(const std::string& where) {
    return "ARRAY(SELECT DISTINCT x.genre FROM tracks x WHERE " + where +
           " AND x.genre IS NOT NULL)";
}
std::string decades_of(const std::string& where) {
    return "ARRAY(SELECT DISTINCT " + decade("x.year") + " FROM tracks x WHERE " + where + " AND " +
           decade("x.year") + " IS NOT NULL)";
}

}  // namespace

std::string genre_of(const std::string& where) {
    return "(SELECT x.genre FROM tracks x WHERE " + where +
           " AND x.genre IS NOT NULL GROUP BY x.genre ORDER BY count(*) DESC, x.genre LIMIT 1)";
}

// Each arm is one of the indexes' operators, so that PostgreSQL answers it with a BitmapOr of index
// scans. A key of '' (a query of punctuation alone) matches nothing by key.
std::string match(const std::string& name, bool short_query) {
    std::string f = "sonique_fold(" + name + ")", k = "sonique_search_key(" + name + ")";
    std::string qk_ok = std::string("(") + kQk + " <> '')";
    if (short_query)
        return "(" + f + " LIKE " + kQfLike + " || '%' OR " + f + " LIKE '% ' || " + kQfLike +
               " || '%' OR (" + qk_ok + " AND " + k + " LIKE " + kQk + " || '%'))";
    return "(" + f + " LIKE '%' || " + kQfLike + " || '%' OR (" + qk_ok + " AND (" + k +
           " LIKE '%' || " + kQk + " || '%' OR " + k + " % " + kQk + ")) OR " + kQf + " <% " + f +
           ")";
}

std::string rank_columns_of(const std::string& f, const std::string& k) {
    std::string qk_ok = std::string("(") + kQk + " <> '')";
    return "CASE WHEN " + f + " = " + kQf + " OR (" + qk_ok + " AND " + k + " = " + kQk +
           ") THEN 0 WHEN starts_with(" + f + ", " + kQf + ") OR strpos(" + f + ", ' ' || " + kQf +
           ") > 0 OR (" + qk_ok + " AND starts_with(" + k + ", " + kQk + ")) THEN 1 WHEN strpos(" +
           f + ", " + kQf + ") > 0 OR (" + qk_ok + " AND strpos(" + k + ", " + kQk +
           ") > 0) THEN 2 ELSE 3 END AS tier, greatest(similarity(" + k + ", " + kQk +
           "), word_similarity(" + kQf + ", " + f + ")) AS sim";
}

std::string hits_sql(bool short_query, bool facets, bool vectors) {
    // With vectors, the artists of $9 and the tracks of $10 (the vector lists) are rows too, and
    // text_hit says which rows the text matched.
    auto where = [&](const std::string& name, const char* id, const char* ids) {
        std::string m = match(name, short_query);
        return vectors ? "(" + m + " OR " + id + " = ANY(" + ids + "::bigint[]))" : m;
    };
    auto text_hit = [&](const std::string& name) {
        return vectors ? ", " + match(name, short_query) + " AS text_hit" : std::string();
    };
    const std::string by_artist = "x.track_artist_id = a.id", in_album = "x.album_id = al.id";
    std::string artists =
        "SELECT 'artist'::text AS type, 2 AS type_order, a.id, a.name AS title, a.name AS "
        "artist, NULL::text AS album, " +
        (facets ? genre_of(by_artist) : std::string("NULL::text")) +
        " AS genre, NULL::text AS path, " + rank_columns("a.name") +
        ", (SELECT count(*) FROM tracks x WHERE " + by_artist + ") AS weight" +
        (facets
             ? ", " + genres_of(by_artist) + " AS genres, " + decades_of(by_artist) + " AS decades"
             : "") +
        text_hit("a.name") + " FROM artists a WHERE " + where("a.name", "a.id", "$9");
    std::string albums =
        "SELECT 'album', 3, al.id, al.title, aa.name, al.title, " +
        (facets ? genre_of(in_album) : std::string("NULL")) + ", NULL, " +
        rank_columns("al.title") + ", (SELECT count(*) FROM tracks x WHERE " + in_album + ")" +
        (facets ? ", " + genres_of(in_album) + ", CASE WHEN " + decade("al.release_year") +
                      " IS NULL THEN " + decades_of(in_album) + " ELSE ARRAY[" +
                      decade("al.release_year") + "] END"
                : "") +
        (vectors ? ", true" : "") +
        " FROM albums al JOIN artists aa ON aa.id = al.album_artist_id WHERE " +
        match("al.title", short_query);
    std::string tracks =
        "SELECT 'track', 1, t.id, t.title, ar.name, al.title, t.genre, t.path, " +
        rank_columns("t.title") + ", 1::bigint" +
        (facets ? ", CASE WHEN t.genre IS NULL THEN '{}'::text[] ELSE ARRAY[t.genre] END, "
                  "CASE WHEN " +
                      decade("t.year") + " IS NULL THEN '{}'::text[] ELSE ARRAY[" +
                      decade("t.year") + "] END"
                : "") +
        text_hit("t.title") +
        " FROM tracks t JOIN artists ar ON ar.id = t.track_artist_id LEFT JOIN albums al ON "
        "al.id = t.album_id WHERE " +
        where("t.title", "t.id", "$10");
    return artists + " UNION ALL " + albums + " UNION ALL " + tracks;
}

}  // namespace sonique::search
