// POST /api/search/'s one statement: matches, filters, the page, facets and the suggestion.
#include "core/json.hpp"
#include "db/connection.hpp"
#include "search/text_search.hpp"
#include "text_sql.hpp"

namespace sonique::search {
namespace {

// Facets list at most this many values each, the most frequent first.
constexpr int kFacetValues = 20;

// The names of a JSON list of filter values ($n), lower-cased by PostgreSQL (whatever the
// script).
std::string lowered(int n) {
    return "ARRAY(SELECT lower(v) FROM json_array_elements_text($" + std::to_string(n) +
           "::json) v)";
}

std::string facet(const std::string& values) {
    return "(SELECT COALESCE(json_agg(json_build_object('name', n, 'count', c) ORDER BY c DESC, "
           "n), '[]'::json) FROM (SELECT min(v) AS n, count(*) AS c FROM f, " +
           values + " GROUP BY lower(v) ORDER BY count(*) DESC, min(v) LIMIT " +
           std::to_string(kFacetValues) + ") x)";
}

// $1 query, $2..$5 filters (JSON lists or null), $6 offset, $7 page size, $8 page.
// hybrid_score is the Reciprocal Rank Fusion score 1 / (60 + rank) of the text ranking alone
// (no vector set takes part yet), so that it keeps its meaning when one does.
// The suggestion: when nothing matched better than fuzzily, the best fuzzy artist or album
// name; when nothing matched at all, the artist name closest by trigrams (a scan of artists).
std::string search_sql(bool short_query) {
    return "WITH hits AS (" + hits_sql(short_query, true) +
           "), f AS (SELECT h.*, row_number() OVER (ORDER BY " + kHitOrder +
           ") AS rank FROM hits h WHERE ($2::json IS NULL OR EXISTS (SELECT 1 FROM "
           "unnest(h.genres) g WHERE lower(g) = ANY(" +
           lowered(2) + "))) AND ($3::json IS NULL OR lower(h.artist) = ANY(" + lowered(3) +
           ")) AND ($4::json IS NULL OR h.decades && " + lowered(4) +
           ") AND ($5::json IS NULL OR h.type = ANY(" + lowered(5) +
           "))) SELECT json_build_object('total', (SELECT count(*) FROM f), 'items', (SELECT "
           "COALESCE(json_agg(json_build_object('id', f.id, 'title', f.title, 'artist', "
           "f.artist, 'album', f.album, 'genre', f.genre, 'path', f.path, 'type', f.type, "
           "'hybrid_score', 1.0::float8 / (60 + f.rank)) ORDER BY f.rank), '[]'::json) FROM f "
           "WHERE f.rank > $6 AND f.rank <= $6 + $7), 'facets', json_build_object('genres', " +
           facet("unnest(f.genres) v") + ", 'artists', " +
           facet("LATERAL (SELECT f.artist WHERE f.artist IS NOT NULL) s(v)") + ", 'decades', " +
           facet("unnest(f.decades) v") +
           "), 'page', $8::bigint, 'total_pages', (SELECT (count(*) + $7 - 1) / $7 FROM f), "
           "'suggestion', CASE WHEN NOT EXISTS (SELECT 1 FROM hits WHERE tier < 3) THEN "
           "COALESCE((SELECT h.title FROM hits h WHERE h.type <> 'track' ORDER BY h.sim DESC, "
           "h.weight DESC, lower(h.title), h.id LIMIT 1), (SELECT a.name FROM artists a WHERE "
           "similarity(sonique_search_key(a.name), sonique_search_key($1::text)) > 0.2 ORDER BY "
           "similarity(sonique_search_key(a.name), sonique_search_key($1::text)) DESC, a.id "
           "LIMIT 1)) END)";
}

std::optional<std::string> list_param(const std::vector<std::string>& values) {
    if (values.empty()) return std::nullopt;
    return dump_json(Json(values));
}

}  // namespace

JsonText search_empty(int64_t page) {
    Json empty = {
        {"total", 0},
        {"items", Json::array()},
        {"facets",
         {{"genres", Json::array()}, {"artists", Json::array()}, {"decades", Json::array()}}},
        {"page", page},
        {"total_pages", 0},
        {"suggestion", nullptr}};
    return JsonText::from(empty);
}

JsonText search_library(db::Connection& conn, const SearchRequest& r) {
    static const std::string sqls[2] = {search_sql(false), search_sql(true)};
    auto q = normalise_query(r.query);
    if (!q) return search_empty(r.page);
    bool short_query = utf8_length(*q) < kMinSubstringChars;
    db::Params params(*q);
    params.add(list_param(r.filters.genre))
        .add(list_param(r.filters.artist))
        .add(list_param(r.filters.decade))
        .add(list_param(r.filters.type))
        .add((r.page - 1) * r.page_size)
        .add(r.page_size)
        .add(r.page);
    return JsonText(conn.exec(sqls[short_query], params).str(0, 0));
}

}  // namespace sonique::search
